package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/reach"
)

// askFiguresAfter is how long after a post made by hand its editor is
// asked for the figures the platform shows (SPEC §6.2, issue 15): by then
// most of a post's reach has come.
const askFiguresAfter = 72 * time.Hour

// handFigure is a post made by hand whose figures the item page asks for
// (or shows, once entered): what the platform says it reached.
type handFigure struct {
	DeliveryID, ChannelKey, URL, Posted string
	Reach, Engagements                  string
	Recorded                            bool
	Action                              string
}

// handFigures lists the item's posts made by hand three days ago or more,
// with the figures recorded for each (polled or entered).
func (s *Server) handFigures(c *gin.Context, v *view, it campaigns.Item) ([]handFigure, error) {
	if s.Deliveries == nil || s.Reach == nil || !v.Can(string(editor), string(manager)) {
		return nil, nil
	}
	list, err := s.Deliveries.List(c, deliveries.Filter{ItemID: it.ID, State: deliveries.StateSent, Archived: true})
	if err != nil {
		return nil, err
	}
	var out []handFigure
	for _, d := range list {
		if !s.Deliveries.ByHand(d.Channel) || d.SentAt == nil || d.ExternalID == "" || s.Now().Sub(*d.SentAt) < askFiguresAfter {
			continue
		}
		vals, ok, err := s.Reach.PostFigures(c, d.Channel, d.ExternalID)
		if err != nil {
			return nil, err
		}
		f := handFigure{DeliveryID: d.ID, ChannelKey: "channel." + d.Channel, URL: d.URL, Recorded: ok,
			Posted: d.SentAt.In(s.Location).Format("02/01/2006"),
			Action: v.Link("/items/" + url.PathEscape(it.ID) + "/figures")}
		if ok {
			f.Reach, f.Engagements = strconv.FormatInt(vals["reach"], 10), strconv.FormatInt(vals["engagements"], 10)
		}
		out = append(out, f)
	}
	return out, nil
}

// recordFigures records the figures an editor read on the platform for a
// post made by hand (reach.Service.HandFigures), and comes back to the item.
func (s *Server) recordFigures(c *gin.Context) {
	it, err := s.Campaigns.GetItem(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	form := c.Request.PostForm
	d, err := s.Deliveries.Get(c, form.Get("delivery"))
	if err != nil || d.ItemID != it.ID || d.State != deliveries.StateSent || !s.Deliveries.ByHand(d.Channel) {
		s.fail(c, apperr.NotFound("post made by hand"))
		return
	}
	values := map[string]*int64{}
	for _, m := range []string{"reach", "engagements"} {
		raw := strings.NewReplacer(".", "", ",", "", " ", "").Replace(form.Get(m))
		if raw == "" {
			continue
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			s.fail(c, apperr.Invalid(m, "must be a whole number"))
			return
		}
		values[m] = &n
	}
	err = s.Reach.HandFigures(c, reach.Snapshot{CommuneID: d.CommuneID, CampaignID: d.CampaignID, ItemID: d.ItemID,
		Channel: d.Channel, ExternalID: d.ExternalID, Values: values})
	var ve *apperr.ValidationError
	switch {
	case err == nil:
		c.Redirect(http.StatusSeeOther, s.itemURL(c, it.ID, "figures")+"#figures")
	case errors.As(err, &ve):
		s.fail(c, err)
	default:
		s.fail(c, err)
	}
}
