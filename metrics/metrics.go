// Package metrics exposes Lan Tỏa's figures to Prometheus: HTTP latency by
// route, publish latency and errors by channel and class, reach polls, and,
// read at scrape time, deliveries by state and channel, the dispatcher's lag
// (now − the oldest due delivery still waiting) and the store's ping time.
package metrics

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/lantoa/lantoa/deliveries"
)

// Metrics holds the collectors and the registry they are registered in.
type Metrics struct {
	Registry     *prometheus.Registry
	HTTPDuration *prometheus.HistogramVec
	Publish      *prometheus.HistogramVec
	PublishErrs  *prometheus.CounterVec
	ReachPolls   *prometheus.CounterVec
}

// Deliveries is what the scrape reads of the deliveries
// (deliveries.Service).
type Deliveries interface {
	Counts(ctx context.Context) ([]deliveries.Count, error)
	Lag(ctx context.Context) (time.Duration, error)
}

// New registers every collector in a new registry. The deliveries are read
// at scrape time; ping checks the store.
func New(d Deliveries, ping func(context.Context) error, log *slog.Logger) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		HTTPDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "lantoa_http_request_duration_seconds",
			Help: "HTTP request latency by route template, method and status class.", Buckets: prometheus.DefBuckets},
			[]string{"route", "method", "status"}),
		Publish: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "lantoa_publish_duration_seconds",
			Help: "Publish call latency by channel and outcome.", Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120}},
			[]string{"channel", "outcome"}),
		PublishErrs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lantoa_publish_errors_total",
			Help: "Failed publish calls by channel and error class."}, []string{"channel", "class"}),
		ReachPolls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lantoa_reach_polls_total",
			Help: "Platform statistics polls by channel and result."}, []string{"channel", "result"}),
	}
	m.Registry.MustRegister(m.HTTPDuration, m.Publish, m.PublishErrs, m.ReachPolls,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&storeCollector{deliveries: d, ping: ping, log: log})
	return m
}

// Published records one publish call (class "" for success); it is the
// dispatcher's Observer.
func (m *Metrics) Published(channel string, d time.Duration, class string) {
	outcome := "ok"
	if class != "" {
		outcome = "error"
		m.PublishErrs.WithLabelValues(channel, class).Inc()
	}
	m.Publish.WithLabelValues(channel, outcome).Observe(d.Seconds())
}

// Polled records one reach poll of a channel.
func (m *Metrics) Polled(channel string, ok bool) {
	result := "ok"
	if !ok {
		result = "error"
	}
	m.ReachPolls.WithLabelValues(channel, result).Inc()
}

var (
	descDeliveries = prometheus.NewDesc("lantoa_deliveries", "Deliveries in the hot collection by state and channel.", []string{"state", "channel"}, nil)
	descLag        = prometheus.NewDesc("lantoa_scheduler_lag_seconds", "Now minus the run time of the oldest due delivery still queued or failed (0 when none).", nil, nil)
	descPing       = prometheus.NewDesc("lantoa_store_ping_seconds", "Time the store took to answer a ping at scrape time.", nil, nil)
	descUp         = prometheus.NewDesc("lantoa_store_up", "1 when the store answered the scrape-time ping.", nil, nil)
)

// storeCollector reads the database at scrape time.
type storeCollector struct {
	deliveries Deliveries
	ping       func(context.Context) error
	log        *slog.Logger
}

func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descDeliveries
	ch <- descLag
	ch <- descPing
	ch <- descUp
}

func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := c.ping(ctx); err != nil {
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, 1)
	ch <- prometheus.MustNewConstMetric(descPing, prometheus.GaugeValue, time.Since(start).Seconds())
	c.collectDeliveries(ctx, ch)
	c.collectLag(ctx, ch)
}

// collectDeliveries reports the hot deliveries by state and channel.
func (c *storeCollector) collectDeliveries(ctx context.Context, ch chan<- prometheus.Metric) {
	counts, err := c.deliveries.Counts(ctx)
	if err != nil {
		c.log.Warn("metrics: counting deliveries", "err", err)
		return
	}
	for _, n := range counts {
		ch <- prometheus.MustNewConstMetric(descDeliveries, prometheus.GaugeValue, float64(n.N), n.State, n.Channel)
	}
}

func (c *storeCollector) collectLag(ctx context.Context, ch chan<- prometheus.Metric) {
	lag, err := c.deliveries.Lag(ctx)
	if err != nil {
		c.log.Warn("metrics: the dispatcher's lag", "err", err)
	}
	ch <- prometheus.MustNewConstMetric(descLag, prometheus.GaugeValue, lag.Seconds())
}
