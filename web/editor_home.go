package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/deliveries"
)

// editorHomeData is an editor's home: what was returned to them with the
// manager's reason, their drafts, what waits for approval, and a way to
// start each kind of item.
type editorHomeData struct {
	// ToPost are the posts to make by hand: due already, and due later
	// today (ManualURL opens the queue).
	ToPost                    []homeItem
	ManualURL                 string
	Returned, Drafts, Waiting []homeItem
	New                       []option // kind → new-item URL in Value
	Deleted                   bool
}

// homeItem is one item of the editor's lists.
type homeItem struct {
	Title, URL, KindKey, Reason, Updated string
}

// editorHome shows an editor's work: items returned by a manager (with the
// reason), drafts, and those awaiting approval, all of their own.
func (s *Server) editorHome(c *gin.Context) {
	v := s.newView(c, "home.title", nil)
	d := editorHomeData{Deleted: c.Query("deleted") != ""}
	for _, k := range campaigns.Kinds {
		d.New = append(d.New, option{Value: v.Link("/items/new?" + url.Values{"kind": {k}}.Encode()), Key: "home.new." + k})
	}
	me := principal(c).UserID
	for _, status := range []string{campaigns.StatusDraft, campaigns.StatusSubmitted} {
		list, err := s.Campaigns.ListItems(c, campaigns.ItemFilter{Status: status})
		if err != nil {
			s.fail(c, err)
			return
		}
		for _, it := range list {
			if it.AuthorID != me {
				continue
			}
			h := homeItem{Title: it.Title, URL: v.Link("/items/" + url.PathEscape(it.ID)), KindKey: "kind." + it.Kind,
				Reason: it.RejectReason, Updated: it.UpdatedAt.In(s.Location).Format("15:04 02/01/2006")}
			switch {
			case status == campaigns.StatusSubmitted:
				d.Waiting = append(d.Waiting, h)
			case it.RejectReason != "":
				d.Returned = append(d.Returned, h)
			default:
				d.Drafts = append(d.Drafts, h)
			}
		}
	}
	slices.Reverse(d.Waiting) // the longest waiting first
	if err := s.homeToPost(c, v, &d); err != nil {
		s.fail(c, err)
		return
	}
	v.Data = d
	s.render(c, http.StatusOK, pageEditorHome, v)
}

// homeToPost fills what is to be posted by hand today: the posts waiting
// (any day) and the ones due later today.
func (s *Server) homeToPost(c *gin.Context, v *view, d *editorHomeData) error {
	if s.ByHand == nil || !s.byHandChannels() {
		return nil
	}
	d.ManualURL = v.Link("/manual")
	due, err := s.ByHand.Queue(c, "")
	if err != nil {
		return err
	}
	for _, p := range due {
		d.ToPost = append(d.ToPost, homeItem{Title: p.Title, URL: v.Link("/manual") + "#d-" + p.DeliveryID, KindKey: "channel." + p.Channel,
			Updated: v.T("home.due_now", p.DueAt.In(s.Location).Format("15:04 02/01"))})
	}
	today := s.Now().In(s.Location).Format(campaigns.DateLayout)
	later, err := s.Deliveries.List(c, deliveries.Filter{Day: today, State: deliveries.StateQueued})
	if err != nil {
		return err
	}
	for _, dl := range later {
		if s.Deliveries.ByHand(dl.Channel) {
			d.ToPost = append(d.ToPost, homeItem{Title: dl.Title, URL: v.Link("/items/" + url.PathEscape(dl.ItemID)), KindKey: "channel." + dl.Channel,
				Updated: v.T("home.due_later", dl.DueAt.In(s.Location).Format("15:04"))})
		}
	}
	return nil
}
