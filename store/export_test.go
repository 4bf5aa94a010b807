package store

// ClientOptions are Connect's driver settings, for tests that add monitors.
var ClientOptions = clientOptions

// HoldExchanges takes the lock the proxy holds across one exchange, as a
// long write holds it, until release is called.
func (p *Proxy) HoldExchanges() (release func()) {
	p.mu.Lock()
	return p.mu.Unlock
}
