// Command dispatch measures the dispatcher on `lantoa db` (the embedded store
// behind its one-command-at-a-time proxy): how long three replicas take to
// dispatch N deliveries that fall due at once, with a no-op publisher that
// counts sends per delivery (any count above one is a duplicate; "recorded"
// is how many the store then holds as sent), and the
// lateness (due → publish call) at an ordinary load of 100 due a minute.
//
//	go run ./bench/dispatch -n 500,2000,5000 -lateness 3m
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/lantoa/lantoa/bench/internal/cpuprofile"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/clock"
	"github.com/lantoa/lantoa/deliveries"
	"github.com/lantoa/lantoa/dispatch"
	"github.com/lantoa/lantoa/publishers"
	"github.com/lantoa/lantoa/stamps"
	"github.com/lantoa/lantoa/store"
)

var hcm, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

// profile is where to write a CPU profile of each burst's dispatch phase
// (each burst overwrites the last).
var profile string

func main() {
	sizes := flag.String("n", "500,2000,5000", "burst sizes")
	lateFor := flag.Duration("lateness", 3*time.Minute, "how long to run the ordinary-load lateness test (0 skips)")
	replicas := flag.Int("replicas", 3, "dispatcher replicas")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the last burst's dispatch (store included, seeding not) to this file")
	flag.Parse()
	profile = *cpuProfile
	if err := run(*sizes, *lateFor, *replicas); err != nil {
		fmt.Fprintln(os.Stderr, "dispatch:", err)
		os.Exit(1)
	}
}

func run(sizes string, lateFor time.Duration, replicas int) error {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "lantoa-bench-dispatch-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	eng, err := store.StartEngine(ctx, store.EngineOptions{DataDir: dir})
	if err != nil {
		return err
	}
	defer eng.Stop()
	proxy, err := store.NewProxy("127.0.0.1:0", false, eng, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	pctx, stop := context.WithCancel(ctx)
	defer stop()
	go proxy.Serve(pctx)
	uri := "mongodb://" + proxy.Addr().String() + "/"
	fmt.Printf("lantoa db at %s, %d replicas, no-op publisher\n\n", uri, replicas)
	fmt.Printf("%8s %10s %12s %11s %8s %9s\n", "burst", "seconds", "per second", "duplicates", "missing", "recorded")
	for _, f := range strings.Split(sizes, ",") {
		n, _ := strconv.Atoi(f)
		if err := burst(ctx, eng, uri, n, replicas); err != nil {
			return err
		}
	}
	if lateFor > 0 {
		return lateness(ctx, uri, replicas, lateFor)
	}
	return nil
}

// world is one database with the domain services, seen by several replicas.
type world struct {
	db    *mongo.Database
	camps *campaigns.Service
	ctx   context.Context
	pub   *noop
}

// newWorld opens a fresh database through its own client (one connection
// pool per replica, as separate processes would have).
func newWorld(ctx context.Context, uri, name string) (*world, error) {
	client, err := store.Connect(ctx, uri, false)
	if err != nil {
		return nil, err
	}
	w := &world{db: client.Database(name), pub: &noop{sent: map[string]int{}, due: map[string]time.Time{}},
		ctx: store.WithScope(ctx, store.Scope{CommuneID: "lien-minh"})}
	return w, nil
}

// dispatcher builds one replica's deliveries, campaigns and dispatcher over
// the world's database, as app.New does (its own version stamps, as a
// process has), the replica named owner.
func (w *world) dispatcher(owner string, pub *noop) *dispatch.Dispatcher {
	log := slog.New(slog.DiscardHandler)
	d := deliveries.New(deliveries.Deps{DB: w.db, Stamps: stamps.New(w.db, log), Now: time.Now, Location: hcm, Log: log},
		deliveries.Options{Owner: owner})
	w.camps = campaigns.NewService(campaigns.Deps{DB: w.db, Deliveries: d, Now: time.Now, Location: hcm, Log: log})
	return dispatch.New(dispatch.Deps{DB: w.db, Deliveries: d, Items: w.camps, Fallback: func(string) publishers.Publisher { return pub },
		Location: hcm, Log: log}, dispatch.Options{Concurrency: 8})
}

// noop counts sends per delivery and records lateness.
type noop struct {
	mu   sync.Mutex
	sent map[string]int
	due  map[string]time.Time
	late []time.Duration
}

func (p *noop) Channel() string { return "noop" }

// calls is how many distinct deliveries were published.
func (p *noop) calls() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.sent)
}
func (p *noop) Publish(_ context.Context, d publishers.Delivery, _ publishers.Content) (publishers.Receipt, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.sent[d.ID]++
	p.late = append(p.late, time.Since(d.DueAt))
	return publishers.Receipt{ExternalID: d.ID}, nil
}
func (p *noop) Reconcile(context.Context, publishers.Delivery, publishers.Content) (publishers.Receipt, bool, error) {
	return publishers.Receipt{}, false, nil
}

// seed approves one-off posts (three channels each) until n deliveries exist.
func (w *world) seed(n int, at time.Time, _ *dispatch.Dispatcher) error {
	if err := w.camps.Seed(w.ctx, "lien-minh"); err != nil {
		return err
	}
	camp, kind, body := "lien-minh-gbv-month-2026", campaigns.KindPost, "Nội dung"
	for i := 0; i < n; i += 3 {
		ch := []string{"facebook", "zalo", "portal"}[:min(3, n-i)]
		title := fmt.Sprintf("Bài %d", i)
		when := at
		it, err := w.camps.CreateItem(w.ctx, campaigns.Actor{UserID: "e", Username: "editor"}, campaigns.ItemInput{CampaignID: &camp,
			Kind: &kind, Title: &title, Body: &body, Channels: &ch, Schedule: &campaigns.Schedule{At: &when}})
		if err != nil {
			return fmt.Errorf("create %d: %w", i, err)
		}
		if _, err := w.camps.Submit(w.ctx, campaigns.Actor{Username: "editor"}, it.ID); err != nil {
			return fmt.Errorf("submit %d: %w", i, err)
		}
		if _, _, err := w.camps.Approve(w.ctx, campaigns.Actor{UserID: "m", Username: "manager"}, it.ID); err != nil {
			return fmt.Errorf("approve %d: %w", i, err)
		}
	}
	return nil
}

func burst(ctx context.Context, eng *store.Engine, uri string, n, replicas int) error {
	name := fmt.Sprintf("burst%d", n)
	seedW, err := newWorld(ctx, uri, name)
	if err != nil {
		return err
	}
	if err := seedW.seed(n, time.Now().Add(time.Hour), seedW.dispatcher("seed", seedW.pub)); err != nil {
		return fmt.Errorf("seeding %d: %w", n, err)
	}
	if _, err := eng.IndexIDs(ctx); err != nil { // as lantoa serve does after creating its collections
		return err
	}
	// They all fall due at once.
	now := time.Now().UTC()
	if _, err := seedW.db.Collection("deliveries").UpdateMany(ctx, bson.M{}, bson.M{"$set": bson.M{"run_at": now, "grace_from": now}}); err != nil {
		return err
	}
	pub := &noop{sent: map[string]int{}, due: map[string]time.Time{}}
	stop, err := cpuprofile.Start(profile)
	if err != nil {
		return err
	}
	defer stop()
	start := time.Now()
	var wg sync.WaitGroup
	for r := range replicas {
		w, err := newWorld(ctx, uri, name)
		if err != nil {
			return err
		}
		s := w.dispatcher(fmt.Sprint("replica-", r), pub)
		wg.Go(func() {
			for pub.calls() < n && time.Since(start) < 5*time.Minute {
				if err := s.Dispatch(w.ctx); err != nil {
					fmt.Fprintln(os.Stderr, "dispatch:", err)
				}
				s.Wait()
			}
		})
	}
	wg.Wait()
	secs := time.Since(start).Seconds()
	pprof.StopCPUProfile()
	dups, missing := 0, n-len(pub.sent)
	for _, c := range pub.sent {
		if c > 1 {
			dups += c - 1
		}
	}
	fmt.Printf("%8d %10.1f %12.0f %11d %8d %9d\n", n, secs, float64(n)/secs, dups, missing, sent(ctx, seedW.db))
	if err := seedW.db.Drop(ctx); err != nil {
		return fmt.Errorf("dropping: %w", err)
	}
	return nil
}

func sent(ctx context.Context, db *mongo.Database) int64 {
	n, _ := db.Collection("deliveries").CountDocuments(ctx, bson.M{"state": "sent"})
	return n
}

// lateness runs the replicas on their clocks while 100 deliveries a minute
// fall due, and reports due → publish-call lateness.
func lateness(ctx context.Context, uri string, replicas int, d time.Duration) error {
	perMinute := 100
	seedW, err := newWorld(ctx, uri, "lateness")
	if err != nil {
		return err
	}
	n := int(d.Minutes()) * perMinute
	start := time.Now().Add(30 * time.Second)
	if err := seedW.seed(n, start.Add(time.Hour), seedW.dispatcher("seed", seedW.pub)); err != nil {
		return err
	}
	// Spread the due times evenly: 100 a minute from start.
	ids, _ := seedW.db.Collection("deliveries").Distinct(ctx, "_id", bson.M{}).Raw()
	vals, _ := ids.Values()
	for i, v := range vals {
		due := start.Add(time.Duration(i) * time.Minute / time.Duration(perMinute)).UTC()
		seedW.db.Collection("deliveries").UpdateOne(ctx, bson.M{"_id": v.StringValue()},
			bson.M{"$set": bson.M{"run_at": due, "grace_from": due, "due_at": due}})
	}
	pub := &noop{sent: map[string]int{}, due: map[string]time.Time{}}
	var clocks []*clock.Clock
	for r := range replicas {
		w, err := newWorld(ctx, uri, "lateness")
		if err != nil {
			return err
		}
		s := w.dispatcher(fmt.Sprint("replica-", r), pub)
		c := clock.New(hcm, slog.New(slog.DiscardHandler))
		if err := c.Add("*/2 * * * * *", "dispatch", s.Dispatch); err != nil {
			return err
		}
		c.Start()
		clocks = append(clocks, c)
	}
	time.Sleep(time.Until(start) + d + 10*time.Second)
	for _, c := range clocks {
		c.Stop()
	}
	pub.mu.Lock()
	defer pub.mu.Unlock()
	slices.Sort(pub.late)
	q := func(p float64) time.Duration {
		return pub.late[int(p*float64(len(pub.late)-1))].Round(time.Millisecond)
	}
	fmt.Printf("\nlateness at %d due a minute for %s: %d sent of %d, p50 %s, p99 %s, max %s\n",
		perMinute, d, len(pub.late), len(vals), q(0.5), q(0.99), q(1))
	return nil
}
