package api

import (
	"fmt"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/apperr"
)

// provinceAnnualReport sends the province-wide workbook of ?year=: every
// commune side by side (?format=xlsx, the only format).
func (s *Server) provinceAnnualReport(c *gin.Context) {
	year, err := yearParam(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	if f := c.DefaultQuery("format", "xlsx"); f != "xlsx" {
		fail(c, s.Log, apperr.Invalid("format", "the province report is a workbook: format=xlsx"))
		return
	}
	communes, err := s.Reach.CommuneRefs(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	body, err := s.Reach.ProvinceXLSX(c, year, communes, "Lan Tỏa, "+principal(c).Username)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	sendFile(c, fmt.Sprintf("bao-cao-toan-tinh-%d.xlsx", year), reportTypes["xlsx"], body)
}
