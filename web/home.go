package web

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/edge"
	"github.com/lantoa/lantoa/reach"
)

// home is where signing in lands: an editor's own work (editorHome), an
// operator's station rundown (landing), and for everyone else the calendar. For managers the calendar carries the
// annual report's deadline reminder (reportNoticeFor) while it applies.
func (s *Server) home(c *gin.Context) {
	p := principal(c)
	switch {
	case p.Role == accounts.RoleEditor:
		s.editorHome(c)
	case p.Role == accounts.RoleOperator:
		c.Redirect(http.StatusSeeOther, landing("", p.Role, p.StationIDs, p.MustChangePassword))
	default:
		c.Redirect(http.StatusSeeOther, withCommune("/calendar", c.Query("commune")))
	}
}

// reportNotice is the reminder that the year's results report is due to the
// commune People's Committee before 25/11, as a page shows it.
type reportNotice struct {
	Text string
	// URL opens the year's report page ("" on that page itself).
	URL string
}

// showReportNotice puts the report deadline reminder of the request's
// commune on a manager's page while reach has one (reach.CurrentNotice:
// from 01/11 to 24/11). A reminder that cannot be read is logged and left
// out: it must never keep a manager from the page itself.
func (s *Server) showReportNotice(c *gin.Context, v *view) {
	if s.Reach == nil || !v.Can(string(accounts.RoleManager)) {
		return
	}
	n, ok, err := s.Reach.CurrentNotice(c)
	if err != nil {
		s.Log.Warn("reading the report notice", "request_id", edge.RequestID(c), "err", err)
		return
	}
	if ok {
		s.setReportNotice(v, &n)
	}
}

// setReportNotice puts n (nil: none) on a manager's page; the reach
// dashboard hands over the notice its summary carries already.
func (s *Server) setReportNotice(v *view, n *reach.Notice) {
	if n == nil || !v.Can(string(accounts.RoleManager)) {
		return
	}
	v.ReportNotice = &reportNotice{Text: v.T("notice.report_due", n.Year, dmy(n.Due), n.DaysLeft),
		URL: v.Link("/reports?year=" + strconv.Itoa(n.Year))}
}
