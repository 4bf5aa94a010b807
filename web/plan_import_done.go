package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/edge"
	"github.com/lantoa/lantoa/plans/held"
)

// importDoneData is the result page of an import: the drafts it created,
// the rows already there, "submit all" and the calendar.
type importDoneData struct {
	Campaign    campaigns.Campaign
	CampaignURL string
	CalendarURL string
	SubmitURL   string
	Sum         string
	Created     []doneItem
	Skipped     []doneRow
	// Drafts is how many created items are still drafts ("submit all").
	Drafts int
	// Sent and Left say what "submit all" did, when it ran.
	Sent, Left int
	Submitted  bool
}

// doneItem is an item the import created, as it is now.
type doneItem struct {
	Title, URL, KindKey, Status, StatusKey, When string
	// Note is what "submit all" did with it (a catalogue key), and
	// LeafletURL where to make its leaflet when that is missing.
	Note       string
	NoteOK     bool
	LeafletURL string
}

// doneRow is a row that made no new item.
type doneRow struct {
	Row            int
	Title, KindKey string
}

// importDonePage shows what the import of ?file= did.
func (s *Server) importDonePage(c *gin.Context) {
	camp, h, ok := s.importedFile(c, c.Query("file"))
	if !ok {
		return
	}
	s.showDone(c, camp, h, nil)
}

// submitImported sends every draft the import created for approval, one
// by one: an item that cannot go (a leaflet not made yet, an item changed
// meanwhile) gets a note and the others go on.
func (s *Server) submitImported(c *gin.Context) {
	camp, h, ok := s.importedFile(c, c.Request.PostForm.Get("file"))
	if !ok {
		return
	}
	items, err := s.importedItems(c, camp.ID, h.Import.Created)
	if err != nil {
		s.fail(c, err)
		return
	}
	notes := map[string]string{}
	for _, it := range items {
		if it.Status != campaigns.StatusDraft {
			continue
		}
		_, err := s.Campaigns.Submit(c, actorOf(c), it.ID)
		switch {
		case err == nil:
			notes[it.ID] = "imp.sent"
		case edge.ClientGone(c, err):
			s.fail(c, err)
			return
		case errors.Is(err, apperr.ErrConflict) && it.Kind == campaigns.KindLeaflet:
			notes[it.ID] = "imp.leaflet_first"
		case errors.Is(err, apperr.ErrConflict):
			notes[it.ID] = "imp.not_draft"
		case errors.Is(err, apperr.ErrNotFound):
			notes[it.ID] = "imp.gone"
		default:
			s.Log.Error("submitting an imported item", "request_id", edge.RequestID(c), "item", it.ID, "err", err)
			notes[it.ID] = "imp.submit_failed"
		}
	}
	s.showDone(c, camp, h, notes)
}

// importedFile finds the campaign and the caller's imported file sum; on
// false the answer is sent (not found, or the file's preview when it was
// not imported into this campaign).
func (s *Server) importedFile(c *gin.Context, sum string) (campaigns.Campaign, held.File, bool) {
	camp, err := s.Campaigns.GetCampaign(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return camp, held.File{}, false
	}
	h, err := s.PlanFiles.Get(c, principal(c).UserID, sum)
	if errors.Is(err, apperr.ErrNotFound) {
		v := s.newView(c, "imp.title", nil)
		s.showImport(c, v, s.newImportData(v, camp), http.StatusNotFound, "imp.expired")
		return camp, h, false
	}
	if err != nil {
		s.fail(c, err)
		return camp, h, false
	}
	if h.Import == nil || h.Import.CampaignID != camp.ID {
		c.Redirect(http.StatusSeeOther, s.importURL(c, camp.ID, sum))
		return camp, h, false
	}
	return camp, h, true
}

// importedItems returns the items of ids that are still in the campaign,
// in the order of ids.
func (s *Server) importedItems(c *gin.Context, campaignID string, ids []string) ([]campaigns.Item, error) {
	all, err := s.Campaigns.CampaignItems(c, campaignID)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]campaigns.Item, len(all))
	for _, it := range all {
		byID[it.ID] = it
	}
	out := make([]campaigns.Item, 0, len(ids))
	for _, id := range ids {
		if it, ok := byID[id]; ok {
			out = append(out, it)
		}
	}
	return out, nil
}

func (s *Server) showDone(c *gin.Context, camp campaigns.Campaign, h held.File, notes map[string]string) {
	items, err := s.importedItems(c, camp.ID, h.Import.Created)
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c, "imp.done_title", nil)
	base := "/campaigns/" + url.PathEscape(camp.ID)
	d := importDoneData{Campaign: camp, CampaignURL: v.Link(base), SubmitURL: v.Link(base + "/import/submit"), Sum: h.SHA256,
		Submitted: notes != nil}
	month := camp.Start[:7]
	for i, it := range items {
		if i == 0 {
			month = s.scheduleMonth(it.Schedule, month)
		}
		di := doneItem{Title: it.Title, URL: v.Link("/items/" + url.PathEscape(it.ID)), KindKey: "kind." + it.Kind,
			Status: it.Status, StatusKey: "item." + it.Status, When: s.scheduleText(v, it.Schedule), Note: notes[it.ID]}
		switch di.Note {
		case "imp.sent":
			di.NoteOK = true
			d.Sent++
		case "imp.leaflet_first":
			di.LeafletURL = v.Link("/items/" + url.PathEscape(it.ID) + "/leaflet")
			d.Left++
		case "":
		default:
			d.Left++
		}
		if it.Status == campaigns.StatusDraft {
			d.Drafts++
		}
		d.Created = append(d.Created, di)
	}
	for _, r := range h.Import.Skipped {
		d.Skipped = append(d.Skipped, doneRow{Row: r.Row, Title: r.Title, KindKey: "kind." + r.Kind})
	}
	d.CalendarURL = v.Link("/calendar?" + url.Values{"month": {month}, "campaign": {camp.ID}}.Encode())
	v.Data = d
	s.render(c, http.StatusOK, pageImportDone, v)
}

// scheduleMonth is the month (YYYY-MM) a schedule starts in, or def.
func (s *Server) scheduleMonth(sc campaigns.Schedule, def string) string {
	switch {
	case sc.At != nil:
		return sc.At.In(s.Location).Format("2006-01")
	case len(sc.From) >= 7:
		return sc.From[:7]
	}
	return def
}
