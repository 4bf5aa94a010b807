package portal

import (
	"encoding/xml"
	"io"
	"time"

	"github.com/lantoa/lantoa/usertext"
)

// Feed is an Atom feed of published portal items (RFC 4287).
type Feed struct {
	ID      string // stable feed id, e.g. a tag: URI of the commune
	Title   string
	Author  string // the commune: every entry's author
	SelfURL string // where the feed is served
	HomeURL string // the alternate (HTML) page of the feed, optional
	Entries []Entry
}

// Entry is one published item.
type Entry struct {
	ID        string // EntryID(item id)
	Title     string // plain text
	HTML      string // the content as HTML (HTML(body)); escaped again in the XML
	Link      string // the item's own link, if any (rel="alternate")
	Enclosure string // the leaflet image URL, if any (rel="enclosure")
	Published time.Time
	Updated   time.Time
}

// atomFeed and friends are the XML shapes.
type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string      `xml:"xml:lang,attr"`
	ID        string      `xml:"id"`
	Title     atomText    `xml:"title"`
	Updated   string      `xml:"updated"`
	Author    atomPerson  `xml:"author"`
	Generator string      `xml:"generator"`
	Links     []atomLink  `xml:"link"`
	Entries   []atomEntry `xml:"entry"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
	Type string `xml:"type,attr,omitempty"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     atomText   `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Content   atomText   `xml:"content"`
	Links     []atomLink `xml:"link"`
}

// WriteFeed writes f as an Atom document. Its updated time is the newest
// entry's (or the zero time's epoch when there is none, so that an empty
// feed is stable); titles are text and contents are type="html", both
// escaped by the XML encoder, so markup in an item is never live.
//
// Every text and URL passes usertext.Strip first: XML 1.0 cannot carry most
// C0 controls, U+FFFE or U+FFFF (a reader refuses the whole feed), and text
// stored before the text rule may hold them.
func WriteFeed(w io.Writer, f Feed) error {
	f = f.stripped()
	out := atomFeed{Lang: "vi", ID: f.ID, Title: atomText{Type: "text", Text: f.Title},
		Author: atomPerson{Name: f.Author}, Generator: "Lan Tỏa",
		Links: []atomLink{{Rel: "self", Href: f.SelfURL, Type: "application/atom+xml"}}}
	if f.HomeURL != "" {
		out.Links = append(out.Links, atomLink{Rel: "alternate", Href: f.HomeURL, Type: "text/html"})
	}
	var newest time.Time
	for _, e := range f.Entries {
		if e.Updated.After(newest) {
			newest = e.Updated
		}
		ae := atomEntry{ID: e.ID, Title: atomText{Type: "text", Text: e.Title}, Updated: stamp(e.Updated),
			Published: stamp(e.Published), Content: atomText{Type: "html", Text: e.HTML}}
		if e.Link != "" {
			ae.Links = append(ae.Links, atomLink{Rel: "alternate", Href: e.Link, Type: "text/html"})
		}
		if e.Enclosure != "" {
			ae.Links = append(ae.Links, atomLink{Rel: "enclosure", Href: e.Enclosure})
		}
		out.Entries = append(out.Entries, ae)
	}
	if newest.IsZero() {
		newest = time.Unix(0, 0)
	}
	out.Updated = stamp(newest)
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// stripped is f with usertext.Strip applied to every text and URL.
func (f Feed) stripped() Feed {
	x := usertext.Strip
	f.ID, f.Title, f.Author, f.SelfURL, f.HomeURL = x(f.ID), x(f.Title), x(f.Author), x(f.SelfURL), x(f.HomeURL)
	entries := make([]Entry, len(f.Entries))
	for i, e := range f.Entries {
		e.ID, e.Title, e.HTML, e.Link, e.Enclosure = x(e.ID), x(e.Title), x(e.HTML), x(e.Link), x(e.Enclosure)
		entries[i] = e
	}
	f.Entries = entries
	return f
}

// stamp is an RFC 3339 date-time in UTC, as Atom requires.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
