package web

import (
	"errors"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/media"
	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/publishers/facebook"
)

// outgoing is what one channel will publish of an item, as the manager
// approves it: the text as that platform takes it and the images it gets
// (a leaflet's variant for that channel, a post's photos), or for print
// the files the printer gets.
type outgoing struct {
	ChannelKey string
	// ByHand: nothing goes out by itself here; an editor posts it by hand
	// at its time (SPEC §6.2).
	ByHand bool
	Text   string
	Images []outImage
	Files  []outFile
}

type outImage struct {
	URL, FullURL  string
	Width, Height int
}

type outFile struct{ Key, URL string }

// outgoingOf lists what each channel of an item publishes. A leaflet whose
// leaflet is missing or was made before its text last changed gives the
// refusal Approve would give (blocked), so the page can say so instead of
// offering the button.
func (s *Server) outgoingOf(c *gin.Context, it campaigns.Item) (out []outgoing, blocked error, err error) {
	if s.Media == nil {
		return nil, nil, nil
	}
	if it.Kind == campaigns.KindLeaflet {
		if blocked = s.Media.LeafletReady(c, it); blocked != nil && !errors.Is(blocked, apperr.ErrConflict) {
			return nil, nil, blocked
		}
	}
	var lv *media.LeafletView
	if it.Kind == campaigns.KindLeaflet {
		if lv, err = s.currentLeaflet(c, it); err != nil {
			return nil, nil, err
		}
	}
	ct := publishers.Content{Kind: it.Kind, Title: it.Title, Body: it.Body, Link: it.Link}
	for _, ch := range it.Channels {
		o := outgoing{ChannelKey: "channel." + ch, ByHand: s.Deliveries != nil && s.Deliveries.ByHand(ch)}
		switch ch {
		case "facebook":
			o.Text = withLink(facebook.DefaultMessage(ct), it.Link)
		case "zalo", "portal":
			o.Text = withLink(strings.TrimSpace(it.Title)+"\n\n"+strings.TrimSpace(it.Body), it.Link)
		case "print":
		default:
			continue // scripts and events: the preview shows them as they go out
		}
		o.Images, o.Files = s.outgoingMedia(it, ch, lv)
		out = append(out, o)
	}
	return out, blocked, nil
}

// outgoingMedia is the images (or print files) channel ch gets of an item.
func (s *Server) outgoingMedia(it campaigns.Item, ch string, lv *media.LeafletView) ([]outImage, []outFile) {
	if it.Kind == campaigns.KindLeaflet {
		if lv == nil {
			return nil, nil
		}
		if ch == "print" {
			return nil, []outFile{{Key: "lf.pdf", URL: lv.PDF}, {Key: "lf.pdf_a4", URL: lv.PDFA4}}
		}
		variant := media.VariantFacebook
		if ch == "zalo" {
			variant = media.VariantZalo
		}
		sz := lv.Sizes[variant]
		thumb := lv.Variants[variant]
		if variant == media.VariantFacebook {
			thumb = lv.Variants[media.VariantThumb] // the same picture, lighter on a phone
		}
		return []outImage{{URL: thumb, FullURL: lv.Variants[variant], Width: sz.Width, Height: sz.Height}}, nil
	}
	var imgs []outImage
	for i, id := range it.MediaIDs {
		if ch == "zalo" && i > 0 {
			break // Zalo shows the first photo as the article's cover
		}
		u := s.Media.UploadURL(id, media.VariantPost)
		imgs = append(imgs, outImage{URL: u, FullURL: u})
	}
	return imgs, nil
}

func withLink(text, link string) string {
	if link == "" {
		return text
	}
	return text + "\n\n" + link
}
