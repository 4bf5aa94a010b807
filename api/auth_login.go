package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// login checks the credentials, returns a bearer token and sets the same
// token as an HttpOnly session cookie.
func (s *Server) login(c *gin.Context) {
	var in loginRequest
	if err := decode(c, &in); err != nil {
		fail(c, s.Log, err)
		return
	}
	token, u, err := s.Accounts.Login(c, in.Username, in.Password, c.ClientIP())
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	s.setSessionCookie(c, token, s.Accounts.SessionTTL())
	c.JSON(http.StatusOK, gin.H{
		"token":      token,
		"expires_at": s.Now().Add(s.Accounts.SessionTTL()).UTC(),
		"user": gin.H{"id": u.ID, "username": u.Username, "role": u.Role, "display_name": u.DisplayName, "commune_id": u.CommuneID,
			"must_change_password": u.MustChangePassword},
	})
}

func (s *Server) setSessionCookie(c *gin.Context, token string, ttl time.Duration) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: token, Path: "/", MaxAge: int(ttl.Seconds()),
		HttpOnly: true, Secure: s.secureCookie, SameSite: http.SameSiteLaxMode,
	})
}
