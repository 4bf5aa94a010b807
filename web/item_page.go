package web

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/media"
)

// itemData is the item page's content: the editor (or, for those who may
// not edit, the read-only view), the preview, the status and the history.
type itemData struct {
	New      bool
	Editable bool
	Item     *campaigns.Item
	Form     itemForm
	// Errors are the form's messages by field, translated.
	Errors  map[string]string
	Action  string
	Preview preview
	Notice  string // catalogue key

	Campaigns []option
	Kinds     []option
	Channels  []channelChoice
	Audiences []option
	Weekdays  []option
	Stations  []option
	// StationsURL offers to add stations when a script has none to choose.
	StationsURL string

	StatusKey     string
	Author        string
	CampaignTitle string
	CampaignURL   string
	// Pending counts an approved item's deliveries still to go out, which
	// an edit cancels.
	Pending       int
	Trail         []auditRow
	DeliveriesURL string
	ApprovalsURL  string
	ReadTpl       readTpl

	// A leaflet's current render (nil: none yet), its templates, and the
	// address of the live preview the page asks for while typing.
	Leaflet    *media.LeafletView
	Templates  []option
	PreviewURL string
	// Photos are a post's photos as the platforms get them.
	Photos []photoRef
	// WithdrawURL and DeleteURL take a submitted item back to draft and
	// delete a draft, for its editors.
	WithdrawURL, DeleteURL string
	// Figures are the item's posts made by hand, three days on, with what
	// the platforms show of them.
	Figures []handFigure
	// Sound is a script's sound: its player, and for its editors the
	// recorder, upload and "read aloud" (item_audio.go); nil otherwise.
	Sound *audioPanel
}

// photoRef is an uploaded photo the page shows.
type photoRef struct{ ID, URL string }

// readTpl are the phrases editor.js writes into the preview, in the page's
// language, with {placeholders}: the reading time, the schedule, and the
// weekdays' long and short names separated by "|".
type readTpl struct{ Sec, MinSec, Once, Daily, Weekly, Weekdays, Short string }

func (v *view) readTpl() readTpl {
	long, short := make([]string, 7), make([]string, 7)
	for i := range 7 {
		long[i], short[i] = v.T("wd.long."+strconv.Itoa(i+1)), v.T("wd."+strconv.Itoa(i+1))
	}
	return readTpl{Sec: v.T("read.sec_js"), MinSec: v.T("read.min_sec_js"), Once: v.T("sched.once_js"),
		Daily: v.T("sched.daily_js"), Weekly: v.T("sched.weekly_js"), Weekdays: strings.Join(long, "|"), Short: strings.Join(short, "|")}
}

// renderItem renders the item page: it is nil for a new item; f is the form
// as stored or as typed; notice is a catalogue key or "".
func (s *Server) renderItem(c *gin.Context, status int, it *campaigns.Item, f itemForm, notice string) {
	v := s.newView(c, "item.new_title", nil)
	d := itemData{New: it == nil, Item: it, Form: f, Notice: notice, Editable: v.Can(string(editor)),
		Kinds: kindOptions(), Channels: channelChoices(), Weekdays: weekdayOptions(),
		ReadTpl: v.readTpl()}
	d.Action = v.Link("/items/new")
	if it != nil {
		v.Title = it.Title
		d.Action = v.Link("/items/" + url.PathEscape(it.ID))
		d.StatusKey, d.Author = "item."+it.Status, it.Author
		if err := s.itemStatus(c, v, &d, *it); err != nil {
			s.fail(c, err)
			return
		}
	}
	d.Errors = map[string]string{}
	for field, m := range f.errs {
		d.Errors[field] = v.T(m.Key, m.Args...)
	}
	for _, a := range campaigns.Audiences {
		d.Audiences = append(d.Audiences, option{Value: a.Code, Key: "audience." + a.Code})
	}
	if err := s.itemChoices(c, v, &d); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.itemMedia(c, v, &d); err != nil {
		s.fail(c, err)
		return
	}
	if err := s.itemAudio(c, v, &d); err != nil {
		s.fail(c, err)
		return
	}
	d.Preview = s.previewOf(v, f, s.communeLabel(c, v))
	d.Preview.Photos, d.Preview.LeafletImage = d.Photos, d.leafletImage()
	v.Data = d
	s.render(c, status, pageItem, v)
}

// itemMedia fills the photos of the page: a leaflet's render and preview,
// a post's photos.
func (s *Server) itemMedia(c *gin.Context, v *view, d *itemData) error {
	if s.Media == nil {
		return nil
	}
	for _, id := range d.Form.MediaIDs {
		d.Photos = append(d.Photos, photoRef{ID: id, URL: s.Media.UploadURL(id, media.VariantPost)})
	}
	if d.Form.Kind != campaigns.KindLeaflet {
		return nil
	}
	for _, t := range media.Templates() {
		d.Templates = append(d.Templates, option{Value: t, Key: "lf.tpl." + t})
	}
	d.PreviewURL = v.Link("/items/leaflet-preview")
	if d.Item == nil {
		return nil
	}
	lv, err := s.currentLeaflet(c, *d.Item)
	d.Leaflet = lv
	return err
}

// leafletImage is what the preview shows of a leaflet: its current render
// when the form still asks for it, else the live preview of the form's
// photo and text ("" without a photo).
func (d itemData) leafletImage() string {
	f := d.Form
	if f.Kind != campaigns.KindLeaflet || f.PhotoID == "" {
		return ""
	}
	if lv := d.Leaflet; lv != nil && lv.PhotoMediaID == f.PhotoID && lv.Template == f.Template &&
		lv.Title == strings.TrimSpace(f.Title) && lv.Body == strings.TrimSpace(f.Body) {
		return lv.Variants[media.VariantThumb]
	}
	return d.PreviewURL + "?" + url.Values{"photo": {f.PhotoID}, "title": {f.Title}, "body": {f.Body},
		"hotline": {f.Hotline}, "template": {f.Template}}.Encode()
}

// itemStatus fills what an existing item's page says about its workflow.
func (s *Server) itemStatus(c *gin.Context, v *view, d *itemData, it campaigns.Item) error {
	if v.Can(string(editor), string(manager), string(admin)) {
		trail, err := s.Campaigns.ListAudit(c, it.ID, "", 50)
		if err != nil {
			return err
		}
		d.Trail = s.auditRows(v, trail)
	}
	if v.Can(string(editor), string(manager), string(admin)) && s.Deliveries != nil {
		d.DeliveriesURL = v.Link("/deliveries?" + url.Values{"item": {it.ID}, "state": {"all"}}.Encode())
	}
	if it.Status == campaigns.StatusSubmitted && v.Can(string(manager)) {
		d.ApprovalsURL = v.Link("/approvals") + "#i-" + it.ID
	}
	figures, err := s.handFigures(c, v, it)
	if err != nil {
		return err
	}
	d.Figures = figures
	if v.Can(string(editor)) {
		switch it.Status {
		case campaigns.StatusSubmitted:
			d.WithdrawURL = v.Link("/items/" + url.PathEscape(it.ID) + "/withdraw")
		case campaigns.StatusDraft:
			if !it.Approved {
				d.DeleteURL = v.Link("/items/" + url.PathEscape(it.ID) + "/delete")
			}
		}
	}
	if it.Status == campaigns.StatusApproved && s.Deliveries != nil {
		for _, st := range []string{deliveries.StateQueued, deliveries.StateFailed} {
			list, err := s.Deliveries.List(c, deliveries.Filter{ItemID: it.ID, State: st})
			if err != nil {
				return err
			}
			d.Pending += len(list)
		}
	}
	return nil
}

// itemChoices fills the editor's campaigns and stations.
func (s *Server) itemChoices(c *gin.Context, v *view, d *itemData) error {
	today := s.Now().In(s.Location).AddDate(0, 0, -campaigns.CampaignMarginDays).Format(campaigns.DateLayout)
	camps, err := s.Campaigns.ListCampaigns(c, today, "")
	if err != nil {
		return err
	}
	found := false
	for _, cp := range camps {
		found = found || cp.ID == d.Form.CampaignID
		d.Campaigns = append(d.Campaigns, option{Value: cp.ID, Label: cp.Title})
	}
	if d.Form.CampaignID != "" {
		camp, err := s.Campaigns.GetCampaign(c, d.Form.CampaignID)
		if err == nil {
			d.CampaignTitle, d.CampaignURL = camp.Title, v.Link("/campaigns/"+url.PathEscape(camp.ID))
			if !found { // an older campaign stays choosable for its items
				d.Campaigns = append([]option{{Value: camp.ID, Label: camp.Title}}, d.Campaigns...)
			}
		}
	}
	if s.Stations != nil {
		list, err := s.Stations.List(c)
		if err != nil {
			return err
		}
		sortStations(list)
		for _, st := range list {
			d.Stations = append(d.Stations, option{Value: st.ID, Label: v.T("item.station_label", st.Name, st.Village, st.Households)})
		}
		if len(list) == 0 && v.Can(string(editor), string(admin)) {
			d.StationsURL = v.Link("/admin/stations")
		}
	}
	return nil
}

// communeLabel names the commune the page acts in, for the preview's page
// header ("Xã Liên Minh").
func (s *Server) communeLabel(c *gin.Context, v *view) string {
	if v.CommuneName != "" {
		return v.CommuneName
	}
	if cm, err := s.Accounts.GetCommune(c, scope(c)); err == nil {
		return cm.Name
	}
	return scope(c)
}
