package api

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"golang.org/x/text/language"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/plans"
)

// Plans from a spreadsheet (SPEC §6.4): the template, the import (a dry
// run by default) and the export of a campaign's plan.

// xlsxType is the media type of an Excel workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// planBodyLimit bounds an import request: the largest plan file plus room
// for the multipart framing. A bigger body is cut off as it arrives.
const planBodyLimit = plans.MaxFileBytes + 64<<10

// errPlanTooLarge is a plan file over plans.MaxFileBytes.
var errPlanTooLarge = errors.New("the plan file is larger than 5 MB")

// planTemplate sends template.xlsx.
func (s *Server) planTemplate(c *gin.Context) {
	data, err := s.Plans.Template()
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	sendFile(c, "ke-hoach-mau.xlsx", xlsxType, data)
}

// exportPlan sends the campaign's items in the template's columns.
func (s *Server) exportPlan(c *gin.Context) {
	camp, err := s.Campaigns.GetCampaign(c, c.Param("id"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	data, err := s.Plans.Export(c, camp.ID)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	sendFile(c, planFilename(camp.Title), xlsxType, data)
}

// planFilename is the ASCII file name of a campaign's plan.xlsx:
// "ke-hoach-thang-hanh-dong-2026.xlsx".
func planFilename(title string) string {
	slug := accounts.Slug(title)
	if len(slug) > 60 {
		slug = strings.TrimRight(slug[:60], "-")
	}
	if slug == "" {
		return "ke-hoach.xlsx"
	}
	return "ke-hoach-" + slug + ".xlsx"
}

// importPlan checks (dry_run=1, the default: nothing is written unless
// asked) or imports (dry_run=0) the plan sent as the multipart field file.
// A check answers 200 with the report, errors included; an import answers
// 200 when it created the items (or found them all there already) and 422
// with the same report when the file has errors (nothing created). A file
// over 5 MB is 413, one that is no spreadsheet 415.
func (s *Server) importPlan(c *gin.Context) {
	dry := true
	switch c.DefaultQuery("dry_run", "1") {
	case "1", "true":
	case "0", "false":
		dry = false
	default:
		fail(c, s.Log, apperr.Invalid("dry_run", "must be 1 (check only) or 0 (import)"))
		return
	}
	lang := requestLanguage(c)
	data, err := readPlanFile(c)
	switch {
	case errors.Is(err, errPlanTooLarge) || isMaxBytes(err):
		abort(c, http.StatusRequestEntityTooLarge, "too_large", planWords["too_large"].in(lang))
		return
	case err != nil:
		fail(c, s.Log, err)
		return
	case !plans.Spreadsheet(data):
		abort(c, http.StatusUnsupportedMediaType, "unsupported_media_type", planWords["not_a_sheet"].in(lang))
		return
	}
	var r plans.Report
	if dry {
		r, err = s.Plans.Check(c, c.Param("id"), data, lang)
	} else {
		r, err = s.Plans.Import(c, actor(c), c.Param("id"), data, lang)
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	status := http.StatusOK
	if !dry && len(r.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	c.JSON(status, r)
}

// readPlanFile reads the multipart field file, at most plans.MaxFileBytes
// of it: errPlanTooLarge beyond, before any of it is parsed.
func readPlanFile(c *gin.Context) ([]byte, error) {
	if c.Request.ContentLength > planBodyLimit { // declared too big: refuse before reading a byte
		return nil, errPlanTooLarge
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, planBodyLimit)
	mr, err := c.Request.MultipartReader()
	if err != nil {
		return nil, apperr.Invalid("file", "send the plan as multipart/form-data, in the field file")
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, apperr.Invalid("file", "is required: send the plan in the multipart field file")
		}
		if err != nil {
			if isMaxBytes(err) {
				return nil, err
			}
			return nil, apperr.Invalid("file", "the multipart body is malformed or cut short")
		}
		if part.FormName() != "file" {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, plans.MaxFileBytes+1))
		switch {
		case isMaxBytes(err):
			return nil, err
		case err != nil:
			return nil, apperr.Invalid("file", "the multipart body is malformed or cut short")
		case len(data) > plans.MaxFileBytes:
			return nil, errPlanTooLarge
		}
		return data, nil
	}
}

func isMaxBytes(err error) bool {
	var tooBig *http.MaxBytesError
	return errors.As(err, &tooBig)
}

// requestLanguage is the language a request asks for: ?lang=en or vi,
// else the first of Vietnamese and English in Accept-Language, else
// Vietnamese.
func requestLanguage(c *gin.Context) string {
	switch c.Query("lang") {
	case "en":
		return "en"
	case "vi":
		return "vi"
	}
	tags, _, err := language.ParseAcceptLanguage(c.GetHeader("Accept-Language"))
	if err != nil {
		return "vi"
	}
	for _, t := range tags { // in order of preference
		switch b, _ := t.Base(); b.String() {
		case "vi":
			return "vi"
		case "en":
			return "en"
		}
	}
	return "vi"
}

// words is a message in Vietnamese and English.
type words struct{ vi, en string }

func (w words) in(lang string) string {
	if lang == "en" {
		return w.en
	}
	return w.vi
}

// planWords are the import's refusals that come before the file is read.
var planWords = map[string]words{
	"too_large": {"Tệp lớn hơn 5 MB; hãy chia kế hoạch thành nhiều tệp.",
		"The file is larger than 5 MB; split the plan into several files."},
	"not_a_sheet": {"Tệp này không phải bảng tính: chỉ nhận sổ làm việc Excel (.xlsx) hoặc tệp CSV. Hãy mở tệp bằng chương trình bảng tính và lưu lại dưới dạng .xlsx.",
		"This file is not a spreadsheet: only Excel workbooks (.xlsx) and CSV files are accepted. Open it in a spreadsheet program and save it as .xlsx."},
}
