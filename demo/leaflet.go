package demo

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/jpeg"
	"time"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/media"
	"github.com/lantoa/lantoa/reach"
)

// leafletPlan is the leaflet of the gender-based violence month: printed
// and handed out in every village, its QR code scanned in the days after.
type leafletPlan struct {
	item    campaigns.Item
	code    string
	printed string // the day it was handed out
}

// leafletItem writes the leaflet item, renders its leaflet on a generated
// photo and approves it. A leaflet that cannot be rendered (the media
// service refuses it) is left out, and the demo goes on.
func (d *demo) leafletItem(p *campaignPlan) error {
	c := p.c
	at := d.day(c.Start, 7, 0).AddDate(0, 0, 2)
	it, err := d.a.Campaigns.CreateItem(d.ctx, d.editor, campaigns.ItemInput{CampaignID: &c.ID, Kind: ptr(campaigns.KindLeaflet),
		Title: ptr("Sống an toàn, không bạo lực"), Audiences: &c.Audiences, Channels: ptr([]string{"print", "facebook"}),
		Body:     ptr("Bạo lực không phải chuyện riêng của mỗi nhà. Gọi 111 hoặc đến Nhà văn hóa Thôn Đông để được hỗ trợ."),
		Schedule: &campaigns.Schedule{At: &at}})
	if err != nil {
		return fmt.Errorf("leaflet item: %w", err)
	}
	up, err := d.a.Media.SaveUpload(d.ctx, d.editor.Username, photo())
	if err != nil {
		d.progress("  (bỏ qua tờ rơi: %v)", err)
		return nil
	}
	view, err := d.a.Media.RenderLeaflet(d.ctx, d.editor, it.ID, media.LeafletInput{PhotoMediaID: up.ID,
		Title: it.Title, Body: it.Body, Hotline: "111"}) // the leaflet prints the item's own words
	if err != nil {
		d.progress("  (bỏ qua tờ rơi: %v)", err)
		return nil
	}
	if it, err = d.approve(it.ID); err != nil {
		return err
	}
	p.items = append(p.items, it)
	d.res.Items[it.Kind]++
	d.leaflet = &leafletPlan{item: it, code: view.Code}
	d.res.Leaflet = view.QRURL
	return nil
}

// photo is a generated 1600×1200 landscape: a sky, hills and a field.
func photo() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 1600, 1200))
	for y := range 1200 {
		for x := range 1600 {
			hill := 700 + int(80*float64((x%400)-200)*float64((x%400)-200)/40000)
			c := color.RGBA{R: uint8(120 + y/10), G: uint8(170 + y/20), B: 235, A: 255}
			if y > hill {
				c = color.RGBA{R: 70, G: uint8(120 + (x+y)%40), B: 60, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	_ = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
	return buf.Bytes()
}

// distribute records the printed leaflets handed out in each village, Xóm
// Bến (no loudspeaker) included.
func (d *demo) distribute(dl deliveries.Delivery) error {
	for i, v := range []string{"Thôn Đông", "Thôn Tây", "Xóm Đình", "Xóm Chùa", "Xóm Chợ", "Thôn Nam", "Thôn Bắc", "Xóm Bến"} {
		n := int64(80 + 15*i)
		if err := d.manual(reach.ManualEntry{CampaignID: dl.CampaignID, ItemID: dl.ItemID, Channel: "print", Metric: "copies",
			Value: &n, Date: dl.Day, Village: v}); err != nil {
			return err
		}
	}
	if d.leaflet != nil && d.leaflet.item.ID == dl.ItemID {
		d.leaflet.printed = dl.Day
	}
	return nil
}

// scans counts the QR scans of the printed leaflet through the public
// short link's handler: a few a day for two weeks after it was handed out.
func (d *demo) scans(date string) error {
	if d.leaflet == nil || d.leaflet.printed == "" || date <= d.leaflet.printed {
		return nil
	}
	age := int(d.day(date, 0, 0).Sub(d.day(d.leaflet.printed, 0, 0)).Hours() / 24)
	if age > 14 {
		return nil
	}
	h := fnv.New32a()
	h.Write([]byte(date))
	for i := range 2 + int(h.Sum32()%6) {
		d.clk.Set(d.clk.Now().Add(time.Minute))
		// Each scan is another person: the counter counts a visitor once a day.
		d.a.Media.Scan(d.ctx, d.leaflet.code, media.Visitor{Addr: fmt.Sprintf("192.0.2.%d", i+1), UserAgent: "Mozilla/5.0 (Linux; Android 13) Lan Tỏa demo"})
		d.res.Scans++
	}
	return nil
}
