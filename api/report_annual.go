package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/usertext"
)

// reportTypes are the annual report's formats and their media types.
var reportTypes = map[string]string{
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"pdf":  "application/pdf",
	"csv":  "text/csv; charset=utf-8",
}

// annualReport sends the year's report of the caller's commune (or, for
// province and admin callers, of ?commune=) as ?format=xlsx, pdf or csv.
// ?signer= puts a name under the signature of the PDF.
func (s *Server) annualReport(c *gin.Context) {
	year, err := yearParam(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	format := c.DefaultQuery("format", "xlsx")
	if _, ok := reportTypes[format]; !ok {
		fail(c, s.Log, apperr.Invalid("format", "must be xlsx, pdf or csv"))
		return
	}
	signer, err := usertext.Line("signer", c.Query("signer"), 80)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	in, err := s.Reach.ReportInput(c, signer)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	r, err := s.Reach.AnnualReport(c, year, in)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	var body []byte
	switch format {
	case "xlsx":
		body, err = r.XLSX()
	case "pdf":
		body, err = r.PDF()
	default:
		body, err = r.CSV()
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	sendFile(c, reach.ReportFilename(r.CommuneID, year, format), reportTypes[format], body)
}

// yearParam reads the required ?year=.
func yearParam(c *gin.Context) (int, error) {
	y, err := strconv.Atoi(c.Query("year"))
	if err != nil || y < 2000 || y > 2100 {
		return 0, apperr.Invalid("year", "must be a year between 2000 and 2100")
	}
	return y, nil
}

// sendFile sends a download; name must be ASCII (reach.ReportFilename).
func sendFile(c *gin.Context, name, contentType string, body []byte) {
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("Cache-Control", "private, no-store")
	c.Data(http.StatusOK, contentType, body)
}
