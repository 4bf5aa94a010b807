package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

type communeRequest struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// createCommune adds a commune and seeds its observance campaigns.
func (s *Server) createCommune(c *gin.Context) {
	var in communeRequest
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	cm, err := s.Accounts.CreateCommune(c, in.ID, in.Name)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusCreated, cm)
}
