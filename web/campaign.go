package web

import (
	"net/http"
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
	v.Data = d
	s.render(c, http.StatusOK, pageCampaign, v)
}
