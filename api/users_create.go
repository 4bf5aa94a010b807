package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
	"github.com/lantoa/lantoa/store"
)

// createUser adds a user; the commune defaults to the admin's (or ?commune=).
func (s *Server) createUser(c *gin.Context) {
	var in accounts.NewUser
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	if err := s.checkStations(c, in); err != nil {
		fail(c, s.Log, err)
		return
	}
	u, err := s.Accounts.CreateUser(c, in)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusCreated, u)
}

// checkStations refuses station_ids that are not stations of the new
// user's commune: an operator's stations are what they may read and confirm.
func (s *Server) checkStations(c *gin.Context, in accounts.NewUser) error {
	if len(in.StationIDs) == 0 {
		return nil
	}
	ctx := c.Request.Context()
	if in.CommuneID != "" {
		ctx = store.WithScope(ctx, store.Scope{CommuneID: in.CommuneID})
	}
	missing, err := s.Stations.Missing(ctx, in.StationIDs)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return apperr.Invalid("station_ids", "unknown stations: %s", strings.Join(missing, ", "))
	}
	return nil
}
