package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
)

// campaignData is the campaign page's content.
type campaignData struct {
	campaigns.Campaign
	ObservanceKey string
	StatusKey     string
	Start, End    string
	Audiences     []string // catalogue keys
	Channels      []string // catalogue keys
	Targets       []target
	Budget        string
	CanEdit       bool
	EditURL       string
	CalendarURL   string
	Saved         bool
	// Items are the campaign's content, newest change first.
	Items      []itemRow
	NewItemURL string
	ReachURL   string
	// ImportURL leads editors to the plan import; PlanURL is the
	// campaign's items as a spreadsheet (SPEC §6.4).
	ImportURL string
	PlanURL   string
}

// itemRow is one content item in a campaign's list.
type itemRow struct {
	Title, URL, KindKey, Status, StatusKey, When string
	Channels                                     []string // catalogue keys
}

type target struct {
	ChannelKey string
	Value      string
}

// campaignPage shows a campaign; editors and admins get a link to edit it.
func (s *Server) campaignPage(c *gin.Context) {
	camp, err := s.Campaigns.GetCampaign(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c, "camp.title", nil)
	v.Title = camp.Title
	d := campaignData{Campaign: camp, StatusKey: "status." + camp.Status,
		Start: dmy(camp.Start), End: dmy(camp.End), Budget: thousands(camp.BudgetVND, v.Lang),
		CanEdit: v.Can(string(editor), string(admin)), Saved: c.Query("saved") != "",
		EditURL: v.Link("/campaigns/" + camp.ID + "/edit"), CalendarURL: v.Link("/calendar?month=" + camp.Start[:7])}
	if camp.Observance != "" {
		d.ObservanceKey = "obs." + camp.Observance
	}
	for _, a := range campaigns.Audiences {
		if slices.Contains(camp.Audiences, a.Code) {
			d.Audiences = append(d.Audiences, "audience."+a.Code)
		}
	}
	for _, ch := range campaigns.Channels {
		if slices.Contains(camp.Channels, ch.Code) {
			d.Channels = append(d.Channels, "channel."+ch.Code)
		}
		if n, ok := camp.Targets[ch.Code]; ok {
			d.Targets = append(d.Targets, target{ChannelKey: "channel." + ch.Code, Value: thousands(n, v.Lang)})
		}
	}
	if err := s.campaignItems(c, v, &d); err != nil {
		s.fail(c, err)
		return
	}
	v.Data = d
	s.render(c, http.StatusOK, pageCampaign, v)
}

// campaignItems lists the campaign's items and the links to add one and to
// see its reach, for those who may.
func (s *Server) campaignItems(c *gin.Context, v *view, d *campaignData) error {
	items, err := s.Campaigns.ListItems(c, campaigns.ItemFilter{CampaignID: d.ID})
	if err != nil {
		return err
	}
	for _, it := range items {
		r := itemRow{Title: it.Title, URL: v.Link("/items/" + url.PathEscape(it.ID)), KindKey: "kind." + it.Kind,
			Status: it.Status, StatusKey: "item." + it.Status, When: s.scheduleText(v, it.Schedule)}
		for _, ch := range campaigns.Channels {
			if slices.Contains(it.Channels, ch.Code) {
				r.Channels = append(r.Channels, "chs."+ch.Code)
			}
		}
		d.Items = append(d.Items, r)
	}
	if v.Can(string(editor)) {
		d.NewItemURL = v.Link("/items/new?" + url.Values{"campaign": {d.ID}}.Encode())
		d.ImportURL = v.Link("/campaigns/" + url.PathEscape(d.ID) + "/import")
	}
	if len(d.Items) > 0 {
		d.PlanURL = v.Link("/api/v1/campaigns/" + url.PathEscape(d.ID) + "/plan.xlsx")
	}
	if v.Can(string(editor), string(manager)) {
		d.ReachURL = v.Link("/reach/" + url.PathEscape(d.ID))
	}
	return nil
}
