package publishers

import (
	"context"
	"errors"
)

// ByHand is the publisher of a channel that a person publishes (SPEC
// §6.2): a Facebook Page or Zalo OA without API credentials, which most
// communes post to from a phone. The dispatcher never calls Publish: at a
// delivery's due time it hands the delivery to the commune's editors
// (state awaiting_manual), and the delivery is sent only when an editor
// records the link of the post. Health says so.
type ByHand struct {
	Name string
}

// ErrByHand is what Publish answers: a by-hand channel is not published by
// the service.
var ErrByHand = errors.New("this channel is published by hand")

// Channel names the channel.
func (p ByHand) Channel() string { return p.Name }

// Publish refuses: see ByHand.
func (p ByHand) Publish(context.Context, Delivery, Content) (Receipt, error) {
	return Receipt{}, &Error{Class: Permanent, Message: ErrByHand.Error(), Err: ErrByHand}
}

// Reconcile finds nothing: only a person knows what they posted.
func (p ByHand) Reconcile(context.Context, Delivery, Content) (Receipt, bool, error) {
	return Receipt{}, false, nil
}

// Health reports a channel without credentials, published by hand.
func (p ByHand) Health() Health { return Health{Channel: p.Name, Healthy: true} }

// IsByHand reports whether p is published by a person.
func IsByHand(p Publisher) bool {
	_, ok := p.(ByHand)
	return ok
}
