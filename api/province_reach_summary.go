package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/reach"
)

// provinceReachSummary returns every commune's totals of ?year= side by
// side, and the province total.
func (s *Server) provinceReachSummary(c *gin.Context) {
	year, err := yearParam(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	communes, err := s.communeRefs(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	sum, err := s.Reach.ProvinceSummary(c, year, communes)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, sum)
}

// communeRefs lists every commune of the installation.
func (s *Server) communeRefs(ctx context.Context) ([]reach.CommuneRef, error) {
	list, err := s.Accounts.ListCommunes(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]reach.CommuneRef, len(list))
	for i, c := range list {
		out[i] = reach.CommuneRef{ID: c.ID, Name: c.Name}
	}
	return out, nil
}
