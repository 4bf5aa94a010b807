package facebook

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/lantoa/lantoa/publishers"
)

// MetricNames is one of our metrics (SPEC §5) and the Graph insights names
// that can provide it, best first. Meta retires names (post_impressions on
// 15 Nov 2025, post_impressions_unique by 15 Jun 2026), so later names are
// fallbacks used when the API rejects the earlier ones.
type MetricNames struct {
	Metric string
	Names  []string
}

// DefaultMetrics is the registry of reference §A.3. engagements is the sum
// of the reaction counts (comments and shares are not in it).
func DefaultMetrics() []MetricNames {
	return []MetricNames{
		{Metric: "reach", Names: []string{"post_total_media_view_unique", "post_impressions_unique"}},
		{Metric: "views", Names: []string{"post_media_view", "post_impressions"}},
		{Metric: "clicks", Names: []string{"post_clicks"}},
		{Metric: "engagements", Names: []string{"post_reactions_by_type_total"}},
	}
}

// insightsAnswer is GET /{post-id}/insights.
type insightsAnswer struct {
	Data []struct {
		Name   string `json:"name"`
		Values []struct {
			Value json.RawMessage `json:"value"`
		} `json:"values"`
	} `json:"data"`
}

// Stats reads the lifetime insights of each post id, one call per post while
// the registry's names are accepted. When the API rejects a name as not a
// valid insights metric, the post's metrics are asked one by one, the
// rejected name is remembered and the next name of its chain is tried, so
// one retired name never hides the others. A metric the API leaves out has a
// nil Value (unknown, not 0). The map holds every post read; err joins the
// failures of the others, and reading stops at the first error that concerns
// the whole channel (credential, throttle, block).
func (c *Client) Stats(ctx context.Context, externalIDs []string) (map[string][]publishers.Stat, error) {
	out := make(map[string][]publishers.Stat, len(externalIDs))
	var errs []error
	for _, id := range externalIDs {
		stats, err := c.postStats(ctx, id)
		if err != nil {
			errs = append(errs, err)
			if class, _ := publishers.Classify(err); class != publishers.Permanent {
				break
			}
			continue
		}
		out[id] = stats
	}
	return out, errors.Join(errs...)
}

// postStats reads one post's metrics.
func (c *Client) postStats(ctx context.Context, id string) ([]publishers.Stat, error) {
	chosen := c.chosenNames()
	var names []string
	for _, m := range c.cfg.Metrics {
		if n := chosen[m.Metric]; n != "" {
			names = append(names, n)
		}
	}
	values, err := c.insights(ctx, id, names)
	if err != nil && isInvalidMetric(err) {
		return c.postStatsOneByOne(ctx, id)
	}
	if err != nil {
		return nil, err
	}
	stats := make([]publishers.Stat, 0, len(c.cfg.Metrics))
	for _, m := range c.cfg.Metrics {
		name := chosen[m.Metric]
		stats = append(stats, publishers.Stat{Metric: m.Metric, Value: values[name], PlatformMetric: name, APIVersion: c.version})
	}
	return stats, nil
}

// postStatsOneByOne asks each metric alone, walking down its chain past
// names the API rejects.
func (c *Client) postStatsOneByOne(ctx context.Context, id string) ([]publishers.Stat, error) {
	stats := make([]publishers.Stat, 0, len(c.cfg.Metrics))
	for _, m := range c.cfg.Metrics {
		st := publishers.Stat{Metric: m.Metric, APIVersion: c.version}
		for _, name := range m.Names {
			if c.isRejected(name) {
				continue
			}
			values, err := c.insights(ctx, id, []string{name})
			if err != nil && isInvalidMetric(err) {
				c.reject(name)
				continue
			}
			if err != nil {
				return nil, err
			}
			st.PlatformMetric, st.Value = name, values[name]
			break
		}
		stats = append(stats, st)
	}
	return stats, nil
}

// insights reads names for one post: name → value, absent when the API
// gave none.
func (c *Client) insights(ctx context.Context, id string, names []string) (map[string]*int64, error) {
	if len(names) == 0 {
		return map[string]*int64{}, nil
	}
	p := url.Values{"metric": {strings.Join(names, ",")}, "period": {"lifetime"}}
	var ans insightsAnswer
	if err := c.do(ctx, call{method: http.MethodGet, path: "/" + url.PathEscape(id) + "/insights", params: p}, &ans); err != nil {
		return nil, err
	}
	out := map[string]*int64{}
	for _, d := range ans.Data {
		if len(d.Values) == 0 {
			continue
		}
		if v, ok := metricValue(d.Values[len(d.Values)-1].Value); ok {
			out[d.Name] = &v
		}
	}
	return out, nil
}

// metricValue reads a number, or the sum of a breakdown object's numbers
// (post_reactions_by_type_total gives {"like":13,"love":2}).
func metricValue(raw json.RawMessage) (int64, bool) {
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		if v, err := n.Int64(); err == nil {
			return v, true
		}
		if f, err := n.Float64(); err == nil {
			return int64(f), true
		}
		return 0, false
	}
	var obj map[string]json.Number
	if json.Unmarshal(raw, &obj) != nil {
		return 0, false
	}
	var sum int64
	for _, n := range obj {
		v, err := n.Int64()
		if err != nil {
			return 0, false
		}
		sum += v
	}
	return sum, true
}

// isInvalidMetric reports the rejection of a metric name: code 100 with the
// message "The value must be a valid insights metric" (code 100 is [?]).
func isInvalidMetric(err error) bool {
	var pe *publishers.Error
	return errors.As(err, &pe) && strings.HasPrefix(pe.Code, "100") &&
		strings.Contains(strings.ToLower(pe.Message), "valid insights metric")
}

// chosenNames returns, per metric, the first name not yet rejected.
func (c *Client) chosenNames() map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]string{}
	for _, m := range c.cfg.Metrics {
		for _, n := range m.Names {
			if !c.rejected[n] {
				out[m.Metric] = n
				break
			}
		}
	}
	return out
}

func (c *Client) reject(name string) {
	c.mu.Lock()
	c.rejected[name] = true
	c.mu.Unlock()
	c.log.Warn("facebook insights metric rejected; using the next name", "metric", name)
}

func (c *Client) isRejected(name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rejected[name]
}
