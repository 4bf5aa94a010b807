package api

import (
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/apperr"
)

// stationAllowed keeps operators and station devices to their own
// stations: they may act on stationID only if it is one of theirs. Editors,
// managers and admins may act on every station of their commune. Handlers
// call it once the station is known to exist, so an unknown station is 404
// for everyone.
func stationAllowed(p accounts.Principal, stationID string) error {
	if p.Role != accounts.RoleOperator && p.TokenKind != accounts.KindStation {
		return nil
	}
	if slices.Contains(p.StationIDs, stationID) {
		return nil
	}
	return apperr.Forbidden("this is not one of your stations")
}

// ownStation is stationAllowed for the station :id, checked before any work:
// a caller kept off it gets 404 when it does not exist, else 403.
func (s *Server) ownStation(c *gin.Context) error {
	err := stationAllowed(principal(c), c.Param("id"))
	if err == nil {
		return nil
	}
	if _, gerr := s.Stations.Get(c, c.Param("id")); gerr != nil {
		return gerr
	}
	return err
}
