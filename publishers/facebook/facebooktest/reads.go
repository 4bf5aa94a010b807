package facebooktest

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// knownMetrics are the post insights names the fake knows; any other name
// is "not a valid insights metric", like a retired one.
func knownMetrics() map[string]bool {
	return map[string]bool{
		"post_total_media_view_unique": true, "post_media_view": true, "post_clicks": true,
		"post_clicks_by_type": true, "post_reactions_by_type_total": true,
		"post_impressions": true, "post_impressions_unique": true,
	}
}

// feedItem is one entry of GET /{page-id}/feed.
type feedItem struct {
	ID          string `json:"id"`
	Message     string `json:"message,omitempty"`
	CreatedTime string `json:"created_time"`
}

// getFeed is GET /{page-id}/feed with since, until, limit and after.
func (s *Server) getFeed(w http.ResponseWriter, c Call) {
	since, ok1 := parseTime(c.Form.Get("since"))
	until, ok2 := parseTime(c.Form.Get("until"))
	if !ok1 || !ok2 {
		s.bad(w, "since and until must be unix times or ISO 8601 dates")
		return
	}
	limit := 25
	if v := c.Form.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			s.bad(w, "limit must be a positive integer")
			return
		}
		limit = min(n, 100)
	}
	start := 0
	if a := c.Form.Get("after"); a != "" {
		b, err := base64.StdEncoding.DecodeString(a)
		if start, err = strconv.Atoi(string(b)); err != nil {
			s.bad(w, "invalid cursor")
			return
		}
	}
	items := s.feed(since, until)
	end := min(start+limit, len(items))
	start = min(start, end)
	page := map[string]any{"data": items[start:end]}
	if end < len(items) {
		after := base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(end)))
		next := url.Values{"access_token": {c.Form.Get("access_token")}, "after": {after}, "limit": {strconv.Itoa(limit)}}
		page["paging"] = map[string]any{
			"cursors": map[string]string{"before": base64.StdEncoding.EncodeToString([]byte(strconv.Itoa(start))), "after": after},
			// Like the real API, next carries the token: clients must not log it.
			"next": s.URL + c.Path + "?" + next.Encode(),
		}
	}
	writeJSON(w, page)
}

// feed lists published posts created in [since, until], newest first.
func (s *Server) feed(since, until time.Time) []feedItem {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []feedItem
	for i := len(s.posts) - 1; i >= 0; i-- {
		p := s.posts[i]
		if !p.Published || (!since.IsZero() && p.Created.Before(since)) || (!until.IsZero() && p.Created.After(until)) {
			continue
		}
		out = append(out, feedItem{ID: p.ID, Message: p.Message, CreatedTime: p.Created.UTC().Format("2006-01-02T15:04:05-0700")})
	}
	return out
}

// parseTime reads a unix time or an RFC 3339 / ISO date; "" is the zero time.
func parseTime(v string) (time.Time, bool) {
	if v == "" {
		return time.Time{}, true
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Unix(n, 0), true
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// getInsights is GET /{post-id}/insights?metric=…
func (s *Server) getInsights(w http.ResponseWriter, postID string, c Call) {
	metrics := c.Form.Get("metric")
	if metrics == "" {
		s.writeError(w, http.StatusBadRequest, apiError{Code: 3001, Subcode: 1504028, Type: "OAuthException", Message: "No Metric Specified"})
		return
	}
	if p := c.Form.Get("period"); p != "" && p != "lifetime" && p != "day" && p != "week" && p != "days_28" {
		s.bad(w, "period must be one of the following values: day, week, days_28, lifetime")
		return
	}
	known := knownMetrics()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range strings.Split(metrics, ",") {
		if !known[m] || s.deprecated[m] {
			s.writeError(w, http.StatusBadRequest, apiError{Code: 100, Type: "OAuthException",
				Message: "(#100) The value must be a valid insights metric"})
			return
		}
	}
	if p := s.find(postID); p == nil || !p.Published {
		s.writeError(w, http.StatusBadRequest, apiError{Code: 100, Subcode: 33, Type: "GraphMethodException",
			Message: "Unsupported get request. Object with ID '" + postID + "' does not exist"})
		return
	}
	data := []map[string]any{}
	for _, m := range strings.Split(metrics, ",") {
		v, ok := s.insights[postID][m]
		if !ok {
			continue // no data: left out, as Facebook does
		}
		data = append(data, map[string]any{
			"name": m, "period": "lifetime", "values": []map[string]any{{"value": v}},
			"title": m, "description": "Lifetime: " + m, "id": postID + "/insights/" + m + "/lifetime",
		})
	}
	writeJSON(w, map[string]any{"data": data, "paging": map[string]string{}})
}
