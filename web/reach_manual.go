package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/reach"
)

// manualForm is the form for reach counted by hand: leaflets handed out per
// village, attendance at an event, or a correction (a negative value, with a
// reason).
type manualForm struct {
	Channel, Metric, Value, Date, Village, ItemID, Reason string
	Errors                                                map[string]string
	Notice                                                string // catalogue key
	Action                                                string
	Channels, Metrics, Items                              []option
	Villages                                              []string
}

func newManualForm(today string) manualForm {
	return manualForm{Channel: "print", Metric: "copies", Date: today, Errors: map[string]string{}}
}

// manualFields are the form's fields; a domain error on any other shows at
// the top.
var manualFields = []string{"channel", "metric", "value", "date", "village", "item_id", "reason"}

// addReach records a manual entry with reach.Service.AddManual (and its
// audit line), or shows the form again with the errors next to their fields.
func (s *Server) addReach(c *gin.Context) {
	camp, err := s.Campaigns.GetCampaign(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	form := c.Request.PostForm
	f := manualForm{Channel: form.Get("channel"), Metric: form.Get("metric"), Value: strings.TrimSpace(form.Get("value")),
		Date: strings.TrimSpace(form.Get("date")), Village: form.Get("village"), ItemID: form.Get("item_id"),
		Reason: form.Get("reason"), Errors: map[string]string{}}
	v := s.newView(c, "reach.title", nil)
	n, perr := strconv.ParseInt(strings.ReplaceAll(strings.ReplaceAll(f.Value, ".", ""), ",", ""), 10, 64)
	if perr != nil {
		f.Errors["value"] = v.T("rerr.value")
	}
	if n < 0 && len([]rune(strings.TrimSpace(f.Reason))) < 3 {
		f.Errors["reason"] = v.T("rerr.reason")
	}
	if len(f.Errors) == 0 {
		_, err := s.Reach.AddManual(c, principal(c).Username, reach.ManualEntry{CampaignID: camp.ID, ItemID: f.ItemID,
			Channel: f.Channel, Metric: f.Metric, Value: &n, Date: f.Date, Village: f.Village, Reason: f.Reason})
		var ve *apperr.ValidationError
		switch {
		case err == nil:
			c.Redirect(http.StatusSeeOther, withCommune("/reach/"+url.PathEscape(camp.ID)+"?added=1", c.Query("commune"))+"#manual")
			return
		case errors.As(err, &ve) && slices.Contains(manualFields, ve.Field):
			f.Errors[ve.Field] = v.T("rerr." + ve.Field)
		case errors.As(err, &ve):
			f.Errors["form"] = v.T("err.invalid")
		default:
			s.fail(c, err)
			return
		}
	}
	s.renderCampaignReach(c, http.StatusUnprocessableEntity, camp, f)
}

// manualChoices fills the form's choices: channels, metrics, the campaign's
// items and the villages of the commune's stations.
func (s *Server) manualChoices(c *gin.Context, v *view, f *manualForm, camp campaigns.Campaign) error {
	f.Action = v.Link("/reach/" + url.PathEscape(camp.ID))
	for _, ch := range campaigns.Channels {
		f.Channels = append(f.Channels, option{Value: ch.Code, Key: "channel." + ch.Code})
	}
	for _, m := range reach.Metrics {
		f.Metrics = append(f.Metrics, option{Value: m, Key: "metric." + m})
	}
	items, err := s.Campaigns.ListItems(c, campaigns.ItemFilter{CampaignID: camp.ID})
	if err != nil {
		return err
	}
	for _, it := range items {
		f.Items = append(f.Items, option{Value: it.ID, Label: it.Title})
	}
	hh, err := s.villageHouseholds(c)
	if err != nil {
		return err
	}
	for village := range hh {
		f.Villages = append(f.Villages, village)
	}
	slices.SortFunc(f.Villages, campaigns.CompareVietnamese)
	return nil
}
