package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"github.com/lantoa/lantoa/accounts"
	"github.com/lantoa/lantoa/app/apptest"
	"github.com/lantoa/lantoa/campaigns"
	"github.com/lantoa/lantoa/reach"
	"github.com/lantoa/lantoa/rundown"
)

// slow3G is the slow mobile profile: 400 kbit/s each way, 400 ms
// round trip.
var slow3G = network.Conditions{Latency: 400, DownloadThroughput: 400e3 / 8, UploadThroughput: 400e3 / 8}

// signal emulates a phone's signal for a tab and the service workers of
// the browser: each worker is a target of its own, which the tab's emulation
// does not reach (the worker's fetches would still go out).
type signal struct {
	t       testing.TB
	ctx     context.Context
	workers map[target.ID]context.Context
}

// set applies the conditions c to the tab and every worker; nil is the
// normal network.
func (s *signal) set(c *network.Conditions) {
	s.t.Helper()
	off, rules := false, []*network.Conditions{}
	if c != nil {
		off, rules = c.Offline, []*network.Conditions{c}
	}
	ts, err := chromedp.Targets(s.ctx)
	if err != nil {
		s.t.Fatal(err)
	}
	ctxs := []context.Context{s.ctx}
	for _, ti := range ts {
		if ti.Type != "service_worker" || ti.BrowserContextID != chromedp.FromContext(s.ctx).BrowserContextID {
			continue
		}
		if s.workers[ti.TargetID] == nil {
			wctx, cancel := chromedp.NewContext(s.ctx, chromedp.WithTargetID(ti.TargetID), chromedp.WithDetachOnCancel())
			s.t.Cleanup(cancel)
			s.workers[ti.TargetID] = wctx
		}
		ctxs = append(ctxs, s.workers[ti.TargetID])
	}
	for _, ctx := range ctxs {
		_, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule,
			network.EmulateNetworkConditionsByRuleParams{EmulateOfflineServiceWorker: &off, MatchedNetworkConditions: rules})
		if err == nil {
			_, err = chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: off, DownloadThroughput: -1, UploadThroughput: -1})
		}
		if err != nil {
			s.t.Fatalf("emulating the network: %v", err)
		}
	}
}

// waitJS evaluates an expression (a promise is awaited) until it is true.
func waitJS(t testing.TB, ctx context.Context, what, js string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js, chromedp.EvalAwaitPromise))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// await evaluates an expression and waits for the promise it returns.
func await[T any](t testing.TB, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// keptDays is true when the worker keeps the rundowns of both days.
func keptDays(days ...string) string {
	return `(async () => { const ks = []; for (const n of await caches.keys()) if (n.startsWith("lantoa-rd-"))
  for (const r of await (await caches.open(n)).keys()) ks.push(r.url);
  return ["` + strings.Join(days, `","`) + `"].every((d) => ks.some((u) => u.endsWith("date=" + d))); })()`
}

// TestBrowserOffline: an operator's phone loses signal before the morning
// slot. The rundown opens from the copy the worker kept, the tap on
// "Đã phát" waits on the phone ("Chờ gửi") and is sent once when the signal
// returns, with the tap's time; a rundown changed meanwhile is announced and
// shown; a sign-out without signal leaves the worker keeping days again
// once back on a page; signing out leaves nothing on the phone.
func TestBrowserOffline(t *testing.T) {
	t.Parallel()
	ctx := chromeFor(t, 150*time.Second)
	e := apptest.New(t)
	st, _ := approvedScripts(t, e, "2026-11-21")
	e.UserNamed("op-dong", accounts.RoleOperator, "lien-minh", st)
	loc := e.Config.Location
	e.Clock.Set(time.Date(2026, 11, 21, 5, 50, 0, 0, loc))
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		t.Fatal(err)
	}
	signIn(t, ctx, e.Server.URL, "op-dong") // lands on the station's rundown
	waitJS(t, ctx, "today's and tomorrow's rundowns kept", keptDays("2026-11-21", "2026-11-22"))
	if !eval[bool](t, ctx, `document.querySelector('link[rel=manifest]') !== null`) {
		t.Error("the operator's page links no manifest")
	}

	// No signal: the page comes from the phone, and says so.
	net := &signal{t: t, ctx: ctx, workers: map[target.ID]context.Context{}}
	net.set(&network.Conditions{Offline: true})
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#rd-net .note`))); err != nil {
		t.Fatal(err)
	}
	text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{"Không có mạng — đang xem bản lưu trên máy, cập nhật lúc 05:50 21/11", "Chung tay chấm dứt bạo lực gia đình", "Nói không với bạo lực gia đình."} {
		if !strings.Contains(text, want) {
			t.Errorf("the page kept offline lacks %q; it shows:\n%s", want, text)
		}
	}
	checkLayout(t, ctx, "rundown offline")
	shoot(t, ctx, "rundown-offline-390")

	// The operator taps "Đã phát": kept on the phone, waiting to be sent.
	err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.rd-aired button`)))
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`.st-queued`))); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `document.querySelector(".st-queued .rd-state").textContent`); !strings.Contains(got, "Chờ gửi · bấm lúc 05:5") {
		t.Errorf("the queued tap shows %q", got)
	}
	tapped := await[string](t, ctx, `(async () => { const c = await caches.open((await caches.keys()).find((k) => k.startsWith("lantoa-q-")));
  const ks = await c.keys(); return ks.length === 1 ? (await (await c.match(ks[0])).json()).fields.aired_at : "" })()`)
	at, err := time.Parse(time.RFC3339, tapped)
	if err != nil {
		t.Fatalf("the queued tap's time %q: %v", tapped, err)
	}
	shoot(t, ctx, "rundown-queued-390")

	// Meanwhile the manager approves another script for the evening.
	ed, mgr := e.User(accounts.RoleEditor, "lien-minh"), e.User(accounts.RoleManager, "lien-minh")
	var it campaigns.Item
	e.Do("POST", "/api/v1/items", ed, map[string]any{"campaign_id": gbv2026, "kind": "script", "title": "Đường dây nóng 111",
		"body": "Gọi 111 khi cần giúp.", "audiences": []string{"residents"}, "channels": []string{"loudspeaker"}, "station_ids": []string{st},
		"schedule": map[string]any{"times": []string{"17:30"}, "from": "2026-11-21", "to": "2026-11-21"}}).Want(201).JSON(&it)
	e.Do("POST", "/api/v1/items/"+it.ID+"/submit", ed, nil).Want(200)
	e.Do("POST", "/api/v1/items/"+it.ID+"/approve", mgr, nil).Want(200)

	// The signal returns at 07:30: the tap is sent, once, with its time,
	// and the page says the server has a newer rundown.
	e.Clock.Set(time.Date(2026, 11, 21, 7, 30, 0, 0, loc))
	net.set(nil)
	waitJS(t, ctx, "the tap sent", `document.querySelector(".st-aired") !== null && document.getElementById("rd-net").textContent.includes("Đã gửi 1 xác nhận")`)
	waitJS(t, ctx, "a newer rundown announced", `document.getElementById("rd-net").textContent.includes("Máy chủ đã có bản mới hơn.")`)
	var airings []rundown.Airing
	e.Do("GET", "/api/v1/stations/"+st+"/airings?from=2026-11-21&to=2026-11-21", mgr, nil).Want(200).JSON(&airings)
	if len(airings) != 1 || airings[0].Status != "aired" || airings[0].AiredAt == nil || !airings[0].AiredAt.Equal(at) {
		t.Fatalf("airings %+v, want one at the tap's time %s", airings, at)
	}
	var timeline []reach.TimelinePoint
	e.Do("GET", "/api/v1/reach/timeline?campaign="+gbv2026+"&metric=airings", mgr, nil).Want(200).JSON(&timeline)
	if len(timeline) != 1 || timeline[0].Value != 1 {
		t.Errorf("airings counted %+v, want 1", timeline)
	}
	if n := await[int](t, ctx, `(async () => { let n = 0; for (const k of await caches.keys()) if (k.startsWith("lantoa-q-")) n += (await (await caches.open(k)).keys()).length; return n })()`); n != 0 {
		t.Errorf("%d taps still queued after sending", n)
	}

	// With signal, the page is the server's: the new script is there.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#rd-net button`)), chromedp.WaitVisible(chromedp.CSS(`.st-aired`))); err != nil {
		t.Fatal(err)
	}
	text, _ = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if !strings.Contains(text, "Đường dây nóng 111") || strings.Contains(text, "bản lưu trên máy") {
		t.Errorf("online, the page shows:\n%s", text)
	}

	// The evening slot is tapped without signal, and the signal only
	// returns on Monday, after its window: the page says why the server
	// refused it, and the operator discards it.
	e.Clock.Set(time.Date(2026, 11, 21, 17, 20, 0, 0, loc))
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`.rd-aired button`))); err != nil {
		t.Fatal(err)
	}
	net.set(&network.Conditions{Offline: true})
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.rd-aired button`)), chromedp.WaitVisible(chromedp.CSS(`.st-queued`))); err != nil {
		t.Fatal(err)
	}
	e.Clock.Set(time.Date(2026, 11, 23, 0, 10, 0, 0, loc))
	net.set(nil)
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`.rd-drop`))); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, ctx, `document.querySelector(".st-queued .rd-state").textContent`); got != "Máy chủ không nhận xác nhận này: Chỉ xác nhận được trong ngày phát và ngày hôm sau." {
		t.Errorf("the refused tap shows %q", got)
	}
	shoot(t, ctx, "rundown-refused-390")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.rd-drop`)), chromedp.WaitVisible(chromedp.CSS(`.script`))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the refused tap discarded", `(async () => { for (const k of await caches.keys()) if (k.startsWith("lantoa-q-") && (await (await caches.open(k)).keys()).length) return false; return true })()`)
	e.Do("GET", "/api/v1/stations/"+st+"/airings?from=2026-11-21&to=2026-11-21", mgr, nil).Want(200).JSON(&airings)
	if len(airings) != 1 {
		t.Errorf("after the refused tap: %+v", airings)
	}

	// A sign-out without signal never reaches the server: the phone keeps
	// nothing of the operator meanwhile. Back on a page with signal (still
	// signed in), the worker keeps the rundowns again, also when a second
	// tab kept the signed-out worker alive and the page revives it.
	other, closeOther := chromedp.NewContext(ctx)
	defer closeOther()
	if err := chromedp.Do(other, chromedp.Navigate(e.Server.URL+"/stations/"+st+"/rundown"), chromedp.WaitVisible(chromedp.CSS(`#rd-net`))); err != nil {
		t.Fatal(err)
	}
	net.set(&network.Conditions{Offline: true})
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.who form button`))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the sign-out sent", `!location.pathname.endsWith("/rundown")`)
	net.set(nil)
	if err := chromedp.Do(ctx, chromedp.Navigate(e.Server.URL+"/stations/"+st+"/rundown"), chromedp.WaitVisible(chromedp.CSS(`#rd-net`))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "the rundowns kept again after a sign-out that failed", keptDays("2026-11-23", "2026-11-24"))
	closeOther()

	// Signing out leaves nothing of the operator on the phone.
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`.who form button`)), chromedp.WaitVisible(chromedp.ID("password")))
	if err != nil {
		t.Fatal(err)
	}
	waitJS(t, ctx, "caches emptied", `(async () => (await caches.keys()).length === 0 && (await navigator.serviceWorker.getRegistrations()).length === 0)()`)
}

// BenchmarkOfflineSlow3G measures an operator's rundown on a 390×844 phone
// over the slow-3G profile: the first visit (no worker, empty HTTP cache),
// a reload with signal (the worker fetches the page first), and a reload
// without signal (the copy kept on the phone), each until the scripts show.
func BenchmarkOfflineSlow3G(b *testing.B) {
	ctx := chromeFor(b, 10*time.Minute)
	e := apptest.New(b)
	st, _ := approvedScripts(b, e, "2026-11-21")
	e.UserNamed("op-dong", accounts.RoleOperator, "lien-minh", st)
	e.Clock.Set(time.Date(2026, 11, 21, 5, 50, 0, 0, e.Config.Location))
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
		b.Fatal(err)
	}
	signIn(b, ctx, e.Server.URL, "op-dong")
	net, rd := &signal{t: b, ctx: ctx, workers: map[target.ID]context.Context{}}, e.Server.URL+"/stations/"+st+"/rundown"
	timed := func(steps ...chromedp.Action[chromedp.Void]) time.Duration {
		start := time.Now()
		if err := chromedp.Do(ctx, steps...); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	var first, online, offline time.Duration
	n := 0
	for b.Loop() {
		net.set(nil)
		await[bool](b, ctx, `(async () => { for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
  for (const k of await caches.keys()) await caches.delete(k); return true })()`)
		if _, err := chromedp.Call(ctx, network.ClearBrowserCache, cdp.Empty{}); err != nil {
			b.Fatal(err)
		}
		if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
			b.Fatal(err)
		}
		slow := slow3G
		net.set(&slow)
		first += timed(chromedp.Navigate(rd), chromedp.WaitVisible(chromedp.CSS(`.script`)))
		waitJS(b, ctx, "the rundowns kept", keptDays("2026-11-21", "2026-11-22"))
		net.set(&slow) // the worker's fetches too
		online += timed(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`.script`)))
		net.set(&network.Conditions{Offline: true})
		offline += timed(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#rd-net .note`)))
		n++
	}
	ms := func(d time.Duration) float64 { return float64(d.Milliseconds()) / float64(n) }
	b.ReportMetric(ms(first), "ms-first-load")
	b.ReportMetric(ms(online), "ms-reload-online")
	b.ReportMetric(ms(offline), "ms-reload-offline")
	b.ReportMetric(0, "ns/op")
}
