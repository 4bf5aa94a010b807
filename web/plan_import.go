package web

import (
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/edge"
	"github.com/lantoa/lantoa/plans"
	"github.com/lantoa/lantoa/plans/held"
)

// The page "Nhập kế hoạch từ Excel" (SPEC §6.4): download the template,
// pick a file, see it checked row by row (nothing is created), fix it and
// pick it again, confirm, then see the drafts and submit them all
// (plan_import_done.go).
//
// Between the preview and the confirmation the file's bytes are kept on
// the server (plans/held, in the database, keyed by their SHA-256 and the
// uploader) rather than posted again: a browser cannot keep a picked file
// across pages without script, and posting the bytes back in the page
// would make it as heavy as the file, twice, on a phone. The confirmation
// names the file by its SHA-256, so what is imported is exactly what was
// previewed; the import checks it all again, since the campaign or its
// stations may have changed meanwhile.

// planUploadPath is the plan upload's route: bodyLimit gives it a plan
// file's size limit instead of a form's.
const planUploadPath = "/campaigns/:id/import"

// planUploadLimit bounds the upload: the largest plan file plus room for
// the multipart framing and the CSRF field. A file over plans.MaxFileBytes
// but within it gets the page's own message; a bigger body the error page.
const planUploadLimit = plans.MaxFileBytes + 64<<10

// importData is the import page's content.
type importData struct {
	Campaign    campaigns.Campaign
	CampaignURL string
	UploadURL   string
	TemplateURL string
	ConfirmURL  string
	// Error is a catalogue key said in an alert above everything.
	Error string
	// File is the checked file, when one was picked.
	File *planPreview
	// Importing: another request is importing the file; the page reloads
	// until it is done.
	Importing bool
}

func (s *Server) newImportData(v *view, camp campaigns.Campaign) importData {
	base := "/campaigns/" + url.PathEscape(camp.ID)
	return importData{Campaign: camp, CampaignURL: v.Link(base), UploadURL: v.Link(base + "/import"),
		TemplateURL: "/api/v1/import/template.xlsx", ConfirmURL: v.Link(base + "/import/confirm")}
}

// importPage shows the steps, or with ?file= the check of a kept file.
func (s *Server) importPage(c *gin.Context) {
	camp, err := s.Campaigns.GetCampaign(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c, "imp.title", nil)
	d := s.newImportData(v, camp)
	if c.Query("changed") != "" {
		d.Error = "imp.changed"
	}
	if sum := c.Query("file"); sum != "" {
		h, err := s.PlanFiles.Get(c, principal(c).UserID, sum)
		switch {
		case errors.Is(err, apperr.ErrNotFound):
			s.showImport(c, v, d, http.StatusNotFound, "imp.expired")
			return
		case err != nil:
			s.fail(c, err)
			return
		case h.Import != nil && h.Import.CampaignID == camp.ID:
			// Imported already (the back button): its result, not a
			// preview that would say every row is there.
			c.Redirect(http.StatusSeeOther, s.importDoneURL(c, camp.ID, sum))
			return
		case h.Importing(s.Now()):
			d.Importing = true
			s.showImport(c, v, d, http.StatusOK, "")
			return
		}
		r, err := s.Plans.Check(c, camp.ID, h.Data, v.Lang)
		if err != nil {
			s.fail(c, err)
			return
		}
		d.File = s.preview(v, h.SHA256, h.Name, r)
	}
	s.showImport(c, v, d, http.StatusOK, d.Error)
}

func (s *Server) showImport(c *gin.Context, v *view, d importData, status int, errKey string) {
	d.Error = errKey
	v.Data = d
	s.render(c, status, pageImport, v)
}

// uploadPlan keeps the picked file and shows its check (303 to the page
// with ?file=, so that reloading the preview does not post the file again).
func (s *Server) uploadPlan(c *gin.Context) {
	camp, err := s.Campaigns.GetCampaign(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := s.newView(c, "imp.title", nil)
	d := s.newImportData(v, camp)
	var fh *multipart.FileHeader
	if form := c.Request.MultipartForm; form != nil && len(form.File["file"]) > 0 {
		fh = form.File["file"][0]
	}
	if fh == nil || fh.Filename == "" {
		s.showImport(c, v, d, http.StatusUnprocessableEntity, "imp.no_file")
		return
	}
	if fh.Size > plans.MaxFileBytes {
		s.showImport(c, v, d, http.StatusRequestEntityTooLarge, "imp.too_large")
		return
	}
	data, err := readPlanUpload(fh)
	if err != nil {
		s.fail(c, err)
		return
	}
	if !plans.Spreadsheet(data) {
		s.showImport(c, v, d, http.StatusUnsupportedMediaType, "imp.not_sheet")
		return
	}
	h, err := s.PlanFiles.Put(c, principal(c).UserID, fh.Filename, data)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, s.importURL(c, camp.ID, h.SHA256))
}

func readPlanUpload(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, plans.MaxFileBytes))
}

// confirmPlan imports the kept file named by the form's file (its
// SHA-256): every row as a draft, or nothing when the check now finds an
// error (back to the preview, which shows it).
func (s *Server) confirmPlan(c *gin.Context) {
	camp, err := s.Campaigns.GetCampaign(c, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	sum := c.Request.PostForm.Get("file")
	h, err := s.PlanFiles.Get(c, principal(c).UserID, sum)
	if errors.Is(err, apperr.ErrNotFound) {
		v := s.newView(c, "imp.title", nil)
		s.showImport(c, v, s.newImportData(v, camp), http.StatusNotFound, "imp.expired")
		return
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if h.Import != nil && h.Import.CampaignID == camp.ID {
		// Confirmed twice (a double tap, a reload): the first import's
		// result, not a second one that would find every row there.
		c.Redirect(http.StatusSeeOther, s.importDoneURL(c, camp.ID, sum))
		return
	}
	// One import per file at a time: a second tap while the first runs
	// waits on the preview page for the first's result.
	claimed, err := s.PlanFiles.Claim(c, principal(c).UserID, sum)
	if err != nil {
		s.fail(c, err)
		return
	}
	if !claimed {
		c.Redirect(http.StatusSeeOther, s.importURL(c, camp.ID, sum))
		return
	}
	r, err := s.Plans.Import(c, actorOf(c), camp.ID, h.Data, language(c))
	if err != nil || len(r.Errors) > 0 {
		if rerr := s.PlanFiles.Release(context.WithoutCancel(c), principal(c).UserID, sum); rerr != nil {
			s.Log.Error("releasing a plan import", "request_id", edge.RequestID(c), "err", rerr)
		}
	}
	if err != nil {
		s.fail(c, err)
		return
	}
	if len(r.Errors) > 0 {
		c.Redirect(http.StatusSeeOther, s.importURL(c, camp.ID, sum)+"&changed=1")
		return
	}
	if err := s.PlanFiles.Imported(c, principal(c).UserID, sum, outcome(camp.ID, s.Now(), r)); err != nil {
		s.fail(c, err)
		return
	}
	c.Redirect(http.StatusSeeOther, s.importDoneURL(c, camp.ID, sum))
}

// outcome is what an import did, as the result page shows it.
func outcome(campaignID string, at time.Time, r plans.Report) held.Outcome {
	o := held.Outcome{CampaignID: campaignID, At: at.UTC(), Created: []string{}, Skipped: []held.Row{}}
	for _, it := range r.Items {
		if it.Existing {
			o.Skipped = append(o.Skipped, held.Row{Row: it.Row, Title: it.Title, Kind: it.Kind})
		} else if it.ID != "" {
			o.Created = append(o.Created, it.ID)
		}
	}
	return o
}

func (s *Server) importURL(c *gin.Context, campaignID, sum string) string {
	return withCommune("/campaigns/"+url.PathEscape(campaignID)+"/import?"+url.Values{"file": {sum}}.Encode(), c.Query("commune"))
}

func (s *Server) importDoneURL(c *gin.Context, campaignID, sum string) string {
	return withCommune("/campaigns/"+url.PathEscape(campaignID)+"/import/done?"+url.Values{"file": {sum}}.Encode(), c.Query("commune"))
}
