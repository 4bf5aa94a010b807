package media

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/publishers"
)

// ErrNotRendered means a leaflet item has no rendered leaflet to send.
var ErrNotRendered = errors.New("render the leaflet first: a leaflet item goes out as its leaflet, never as text alone")

// Content is the dispatcher's ContentSource: what an item sends on a
// channel. Every item sends its title, body and link; besides,
//   - a leaflet item sends its current leaflet: the facebook variant as the
//     Facebook photo and the portal's enclosure (by its public URL), the
//     zalo variant as the Zalo cover (Zalo fetches covers by URL), and on
//     the print channel the A5 and A4 PDFs and print JPEGs as files
//     (Content.Extra). Without a rendered leaflet it fails with
//     ErrNotRendered;
//   - a post with media_ids attaches its photos on facebook, zalo and
//     portal, re-encoded without metadata (PostImage).
//
// ctx must carry the item's commune scope (the dispatcher's does).
func (s *Service) Content(ctx context.Context, it campaigns.Item, channel string) (publishers.Content, error) {
	c := publishers.Content{Kind: it.Kind, Title: it.Title, Body: it.Body, Link: it.Link}
	if it.Kind == campaigns.KindLeaflet {
		return s.leafletContent(ctx, it, channel, c)
	}
	switch channel {
	case "facebook", "zalo", "portal":
	default:
		return c, nil
	}
	for i, id := range it.MediaIDs {
		u, err := s.GetUpload(ctx, id)
		if err != nil {
			return c, fmt.Errorf("photo %s of the item: %w", id, err)
		}
		data, err := s.postImage(ctx, u)
		if err != nil {
			return c, fmt.Errorf("photo %s of the item: %w", id, err)
		}
		c.Images = append(c.Images, publishers.Image{Name: fmt.Sprintf("photo-%d.jpg", i+1), ContentType: "image/jpeg", Data: data})
	}
	return c, nil
}

func (s *Service) leafletContent(ctx context.Context, it campaigns.Item, channel string, c publishers.Content) (publishers.Content, error) {
	doc, set, err := s.current(ctx, it.ID)
	if errors.Is(err, apperr.ErrNotFound) {
		return c, ErrNotRendered
	}
	if err != nil {
		return c, err
	}
	image := func(variant string) (publishers.Image, error) {
		f, ok := set.Files[variant]
		if !ok {
			return publishers.Image{}, fmt.Errorf("media: the leaflet has no %s variant", variant)
		}
		data, err := s.blobs.get(ctx, f.FileID)
		if err != nil {
			return publishers.Image{}, err
		}
		return publishers.Image{Name: "leaflet-" + variant + ".jpg", ContentType: f.ContentType, Data: data,
			URL: s.mediaURL(doc.ID, variant, version(doc.Key))}, nil
	}
	switch channel {
	case "facebook", "portal", "zalo":
		variant := VariantFacebook
		if channel == "zalo" {
			variant = VariantZalo
		}
		img, err := image(variant)
		if err != nil {
			return c, err
		}
		c.Images = []publishers.Image{img}
	case "print":
		c.Extra = map[string][]byte{}
		for _, v := range []string{VariantPrintA5, VariantPrintA4} {
			img, err := image(v)
			if err != nil {
				return c, err
			}
			page := strings.ToUpper(strings.TrimPrefix(v, "print-"))
			pdf, err := PrintPDF(img.Data, page)
			if err != nil {
				return c, err
			}
			c.Extra[v+".jpg"] = img.Data
			c.Extra["leaflet-"+strings.ToLower(page)+".pdf"] = pdf
		}
	}
	return c, nil
}
