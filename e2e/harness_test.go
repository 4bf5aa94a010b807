package e2e_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/lantoa/lantoa/publishers/facebook/facebooktest"
	"github.com/lantoa/lantoa/publishers/publishertest"
)

const (
	adminPassword = "e2e-first-operator-pass-1" // may not contain the username "admin"
	userPassword  = "e2e-user-password-22"
	pageID        = "100200300400"
	pageToken     = "EAAE2EpageTOKENsecret-do-not-log-7781"
	appSecret     = "e2eAPPsecret-3391"
)

var hcm, _ = time.LoadLocation("Asia/Ho_Chi_Minh")

// proc is a child process whose output is kept for assertions and shown
// when the test fails.
type proc struct {
	t    *testing.T
	name string
	cmd  *exec.Cmd
	out  *publishertest.Logs
	done chan struct{}
}

// start runs the binary with args in a minimal environment plus env.
func start(t *testing.T, name string, env map[string]string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "TMPDIR=" + os.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	p := &proc{t: t, name: name, cmd: cmd, out: &publishertest.Logs{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting %s: %v", name, err)
	}
	go func() { _ = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		p.kill()
		if t.Failed() {
			t.Logf("--- output of %s (last 4 KB) ---\n%s", name, tail(p.out.String(), 4096))
		}
	})
	return p
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}

// kill sends SIGKILL (kill -9) and waits for the process to go.
func (p *proc) kill() {
	select {
	case <-p.done:
		return
	default:
	}
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// stop sends SIGTERM and waits up to 20 s, then kills.
func (p *proc) stop() {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		p.t.Errorf("%s did not stop on SIGTERM within 20 s", p.name)
		p.kill()
	}
}

// freeAddr returns a loopback address with a port free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startDB runs `lantoa db` on addr over data and waits until it accepts
// connections.
func startDB(t *testing.T, addr, data string) *proc {
	t.Helper()
	p := start(t, "lantoa db "+addr, nil, "db", "--listen", addr, "--data", data)
	eventually(t, 30*time.Second, "lantoa db to listen", func() bool {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
		}
		return err == nil
	})
	return p
}

// replica is one `lantoa serve` process.
type replica struct {
	*proc
	url string
}

// startReplica runs `lantoa serve` against the `lantoa db` at dbAddr, with
// data as its LANTOA_DATA and the extra settings, and waits until /readyz
// answers 200.
func startReplica(t *testing.T, name, dbAddr, data string, extra map[string]string) *replica {
	t.Helper()
	addr := freeAddr(t)
	env := map[string]string{
		"LANTOA_ADDR": addr, "LANTOA_DATA": data, "LANTOA_BASE_URL": "http://" + addr,
		"MONGODB_URI": "mongodb://" + dbAddr + "/", "LANTOA_ADMIN_PASSWORD": adminPassword,
	}
	for k, v := range extra {
		env[k] = v
	}
	r := &replica{proc: start(t, name, env, "serve"), url: "http://" + addr}
	eventually(t, 60*time.Second, name+" to be ready", func() bool {
		select {
		case <-r.done:
			t.Fatalf("%s exited during start:\n%s", name, tail(r.out.String(), 4096))
		default:
		}
		res, err := http.Get(r.url + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	})
	return r
}

// facebookEnv points a replica at a (gated) fake Page.
func facebookEnv(graphURL string, extra map[string]string) map[string]string {
	env := map[string]string{"FACEBOOK_GRAPH_URL": graphURL, "FACEBOOK_PAGE_ID": pageID,
		"FACEBOOK_PAGE_TOKEN": pageToken, "FACEBOOK_APP_SECRET": appSecret}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// eventually polls cond every 100 ms until it holds, failing the test when
// timeout passes first. It is how these tests wait: on a condition, with a
// deadline, never for a fixed time.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	poll := time.NewTicker(100 * time.Millisecond)
	defer poll.Stop()
	for !cond() {
		select {
		case <-deadline.C:
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		case <-poll.C:
		}
	}
}

// client calls one replica's API with a bearer token.
type client struct {
	t     *testing.T
	base  string
	token string
}

var httpc = &http.Client{Timeout: 30 * time.Second}

// call sends a JSON request and returns the status and body; out, when not
// nil, receives the decoded body of a 2xx answer.
func (c client) call(method, path string, body, out any) (int, []byte) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		r = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	res, err := httpc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if out != nil && res.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			c.t.Fatalf("%s %s: decoding %s: %v", method, path, raw, err)
		}
	}
	return res.StatusCode, raw
}

// must is call that fails the test on a status other than want.
func (c client) must(want int, method, path string, body, out any) []byte {
	c.t.Helper()
	got, raw := c.call(method, path, body, out)
	if got != want {
		c.t.Fatalf("%s %s: %d, want %d: %s", method, path, got, want, raw)
	}
	return raw
}

func (c client) as(token string) client { c.token = token; return c }

func (c client) login(user, password string) string {
	c.t.Helper()
	var out struct {
		Token string `json:"token"`
	}
	c.as("").must(200, "POST", "/api/v1/auth/login", map[string]string{"username": user, "password": password}, &out)
	return out.Token
}

// people are the signed-in users a journey needs.
type people struct{ admin, editor, manager client }

// signIn creates an editor and a manager through the API (once per
// database) and signs the three in on replica base.
func signIn(t *testing.T, base string, create bool) people {
	t.Helper()
	c := client{t: t, base: base}
	admin := c.as(c.login("admin", adminPassword))
	if create {
		for _, role := range []string{"editor", "manager"} {
			admin.must(201, "POST", "/api/v1/users", map[string]any{"username": "e2e-" + role, "password": userPassword,
				"role": role, "display_name": "E2E " + role}, nil)
		}
	}
	return people{admin: admin, editor: c.as(c.login("e2e-editor", userPassword)), manager: c.as(c.login("e2e-manager", userPassword))}
}

// campaign creates a campaign around today (local dates) and returns its id.
func (p people) campaign() string {
	today := time.Now().In(hcm)
	var out struct {
		ID string `json:"id"`
	}
	p.editor.must(201, "POST", "/api/v1/campaigns", map[string]any{"title": "Chiến dịch kiểm thử sự cố",
		"start": today.AddDate(0, 0, -1).Format("2006-01-02"), "end": today.AddDate(0, 0, 30).Format("2006-01-02")}, &out)
	return out.ID
}

// post creates, submits and approves a facebook post due at at; it returns
// the item id.
func (p people) post(campaign, title string, at time.Time) string {
	var it struct {
		ID string `json:"id"`
	}
	p.editor.must(201, "POST", "/api/v1/items", map[string]any{"campaign_id": campaign, "kind": "post", "title": title,
		"body": "Nội dung kiểm thử: " + title, "channels": []string{"facebook"},
		"schedule": map[string]any{"at": at.In(hcm).Format(time.RFC3339)}}, &it)
	p.editor.must(200, "POST", "/api/v1/items/"+it.ID+"/submit", nil, nil)
	p.manager.must(200, "POST", "/api/v1/items/"+it.ID+"/approve", nil, nil)
	return it.ID
}

// delivery is what the tests read of GET /api/v1/deliveries.
type delivery struct {
	ID         string `json:"id"`
	ItemID     string `json:"item_id"`
	Title      string `json:"title"`
	State      string `json:"state"`
	Attempts   int    `json:"attempts"`
	LastError  string `json:"last_error"`
	ErrorClass string `json:"error_class"`
	ExternalID string `json:"external_id"`
}

func (p people) deliveries() []delivery {
	var list []delivery
	p.manager.must(200, "GET", "/api/v1/deliveries?channel=facebook", nil, &list)
	return list
}

// allSent waits until n facebook deliveries are sent.
func (p people) allSent(t *testing.T, n int, timeout time.Duration) []delivery {
	t.Helper()
	var list []delivery
	eventually(t, timeout, fmt.Sprintf("%d deliveries sent", n), func() bool {
		list = p.deliveries()
		sent := 0
		for _, d := range list {
			if d.State == "sent" {
				sent++
			}
		}
		return sent == n && len(list) == n
	})
	return list
}

// countPosts returns, per title, how many posts on the fake Page carry it.
func countPosts(fake *facebooktest.Server, titles []string) map[string]int {
	out := map[string]int{}
	for _, post := range fake.Posts() {
		for _, title := range titles {
			if strings.HasPrefix(post.Message, title+"\n") {
				out[title]++
			}
		}
	}
	return out
}

// gate sits between one replica and the fake Page, so a test knows which
// replica has a request in flight and can slow, hold or swallow it.
type gate struct {
	name     string
	upstream string
	srv      *httptest.Server
	inflight chan string  // one value per POST that reached the gate
	posts    atomic.Int64 // POSTs that reached the gate
	active   atomic.Int64 // requests that reached the gate and are not over

	mu        sync.Mutex
	before    time.Duration // wait before forwarding a POST
	after     time.Duration // wait after the fake answered a POST
	hold      bool          // keep POST answers until release
	blackhole bool          // never forward POSTs nor answer them
	swallow   string        // blackhole only POSTs whose message holds this
	release   chan struct{}
}

func newGate(t *testing.T, name string, fake *facebooktest.Server) *gate {
	g := &gate{name: name, upstream: strings.TrimSuffix(fake.URL, "/"+fake.Version),
		inflight: make(chan string, 1000), release: make(chan struct{})}
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(g.srv.Close)
	t.Cleanup(g.open) // runs before Close: frees held handlers
	return g
}

// URL is the Graph base URL the replica is given.
func (g *gate) URL(fake *facebooktest.Server) string { return g.srv.URL + "/" + fake.Version }

func (g *gate) set(f func(g *gate)) {
	g.mu.Lock()
	f(g)
	g.mu.Unlock()
}

// open releases held answers, now and from now on.
func (g *gate) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.hold, g.blackhole, g.swallow = false, false, ""
	select {
	case <-g.release:
	default:
		close(g.release)
	}
}

func (g *gate) serve(w http.ResponseWriter, r *http.Request) {
	g.active.Add(1)
	defer g.active.Add(-1)
	body, _ := io.ReadAll(r.Body)
	g.mu.Lock()
	before, after, hold, blackhole, release := g.before, g.after, g.hold, g.blackhole, g.release
	if g.swallow != "" {
		form, _ := url.ParseQuery(string(body))
		blackhole = blackhole || strings.Contains(form.Get("message"), g.swallow)
	}
	g.mu.Unlock()
	post := r.Method == http.MethodPost
	if post {
		g.posts.Add(1)
		select {
		case g.inflight <- g.name:
		default:
		}
	}
	if post && blackhole {
		<-r.Context().Done() // the client gives up; the fake never hears of it
		return
	}
	if post && !wait(r, before) {
		return
	}
	req, _ := http.NewRequestWithContext(r.Context(), r.Method, g.upstream+r.URL.RequestURI(), bytes.NewReader(body))
	req.Header = r.Header.Clone()
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(res.Body)
	if post && hold {
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
	}
	if post && !wait(r, after) {
		return
	}
	for k, v := range res.Header {
		w.Header()[k] = v
	}
	w.WriteHeader(res.StatusCode)
	_, _ = w.Write(answer)
}

// wait sleeps d unless the client goes away first.
func wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	select {
	case <-time.After(d):
		return true
	case <-r.Context().Done():
		return false
	}
}

// noToken fails when a replica's output shows the Page token or app secret.
func noToken(t *testing.T, procs ...*proc) {
	t.Helper()
	for _, p := range procs {
		out := p.out.String()
		if strings.Contains(out, pageToken) || strings.Contains(out, appSecret) {
			t.Errorf("%s logged a credential", p.name)
		}
	}
}

// dataDir makes a data folder under the test's temporary folder.
func dataDir(t *testing.T, name string) string {
	d := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(d, 0o700); err != nil {
		t.Fatal(err)
	}
	return d
}

// publishCalls is the number of facebook publish calls the replicas have
// finished, as their /metrics count them (lantoa_publish_duration_seconds,
// every outcome).
func publishCalls(t *testing.T, reps ...*replica) int {
	t.Helper()
	total := 0
	for _, r := range reps {
		res, err := httpc.Get(r.url + "/metrics")
		if err != nil {
			t.Fatalf("%s /metrics: %v", r.name, err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		for _, line := range strings.Split(string(raw), "\n") {
			if strings.HasPrefix(line, "lantoa_publish_duration_seconds_count{") && strings.Contains(line, `channel="facebook"`) {
				var n float64
				if _, err := fmt.Sscan(line[strings.LastIndexByte(line, ' ')+1:], &n); err != nil {
					t.Fatalf("%s /metrics: %q: %v", r.name, line, err)
				}
				total += int(n)
			}
		}
	}
	return total
}

// settled waits until every send that reached a gate is over, in the gate
// (no request in flight) and in the replica that made it (its /metrics
// count every POST the gates saw as a finished publish call): after that a
// post can only come from a send not yet started.
func settled(t *testing.T, gates []*gate, reps []*replica) {
	t.Helper()
	eventually(t, 60*time.Second, "every send to have ended", func() bool {
		posts := 0
		for _, g := range gates {
			if g.active.Load() != 0 {
				return false
			}
			posts += int(g.posts.Load())
		}
		return publishCalls(t, reps...) == posts
	})
}

// logged reports whether a line of p's output holds every part.
func logged(p *proc, parts ...string) bool {
	for _, line := range strings.Split(p.out.String(), "\n") {
		all := true
		for _, part := range parts {
			all = all && strings.Contains(line, part)
		}
		if all {
			return true
		}
	}
	return false
}
