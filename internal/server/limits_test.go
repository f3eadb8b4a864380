package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// endless is a JSON string that never ends and costs the sender no
// memory, so the server can tell it is too large only by reading.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

// Not parallel: it measures the process's allocations, so nothing else
// may run meanwhile.
func TestA100MBBodyIs413AndNeverRead(t *testing.T) {
	h := start(t, Config{})
	url := "http://" + h.srv.HTTPAddr() + "/v1/feedback/ratings"
	const size = 100 << 20
	send := func(known bool) int {
		body := io.MultiReader(strings.NewReader(`{"comment": "`), io.LimitReader(endless{}, size))
		req, err := http.NewRequest("POST", url, body)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if known {
			req.ContentLength = size + 13
		} else {
			req.ContentLength = -1 // chunked: the server learns the size only by reading
		}
		resp, err := (&http.Client{Transport: &http.Transport{}}).Do(req)
		if err != nil {
			t.Fatalf("known length %v: %v", known, err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if !strings.Contains(string(raw), "larger than the limit of 1048576 bytes") {
			t.Errorf("known length %v: body %s, want the usual JSON error naming the limit", known, raw)
		}
		return resp.StatusCode
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for _, known := range []bool{true, false} {
		if got := send(known); got != http.StatusRequestEntityTooLarge {
			t.Errorf("known length %v: status %d, want 413", known, got)
		}
	}
	runtime.ReadMemStats(&after)
	// Reading either body would allocate 100 MB; the chunked one may be
	// read up to the 1 MiB cap, decoded and answered.
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Errorf("the process allocated %d MB while refusing two 100 MB bodies", grew>>20)
	}
}

func TestAGRPCMessageOverTheLimitIsRefused(t *testing.T) {
	t.Parallel()
	h := start(t, Config{MaxBody: 1024})
	ctx := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+h.kiosk)
	big := &errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{{Field: strings.Repeat("x", 4096)}}}
	err := h.conn.Invoke(ctx, "/"+probeService+"/Public", big, &emptypb.Empty{})
	if status.Code(err) != codes.ResourceExhausted {
		t.Fatalf("4 KB message with a 1 KB limit: %v, want RESOURCE_EXHAUSTED", err)
	}
}

func TestACallWithoutADeadlineGetsTheServersOwn(t *testing.T) {
	t.Parallel()
	h := start(t, Config{CallTimeout: 100 * time.Millisecond})
	if err := h.call(h.kiosk, "Stall"); status.Code(err) != codes.DeadlineExceeded {
		t.Fatalf("a call stalled with no deadline of its own: %v, want DEADLINE_EXCEEDED", err)
	}
}

func TestWritesBeyondTheInFlightBoundAreShedWithARetryHint(t *testing.T) {
	t.Parallel()
	h := start(t, Config{MaxInflightWrites: 1})
	first := make(chan error, 1)
	go func() { first <- h.call(h.kiosk, "Block") }()
	<-h.probe.entered
	err := h.call(h.kiosk, "Block")
	if status.Code(err) != codes.ResourceExhausted {
		t.Fatalf("second Block while one is in flight: %v, want RESOURCE_EXHAUSTED", err)
	}
	if ra := retryAfter(status.Convert(err)); ra != "1" {
		t.Errorf("retry hint = %q seconds, want 1", ra)
	}
	if err := h.call(h.kiosk, "Public"); err != nil {
		t.Errorf("another method is not held up by Block's bound: %v", err)
	}
	close(h.probe.release)
	if err := <-first; err != nil {
		t.Errorf("the admitted call: %v", err)
	}
}

func TestA429CarriesRetryAfter(t *testing.T) {
	t.Parallel()
	h := start(t, Config{AnonRatePerMinute: 1, AnonBurst: 1})
	url := "http://" + h.srv.HTTPAddr() + "/v1/feedback/ratings"
	post := func() *http.Response {
		resp, err := http.Post(url, "application/json", strings.NewReader(`{"level": 4}`))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	post()
	resp := post()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "60" {
		t.Fatalf("second anonymous rating in a minute: %d, Retry-After %q; want 429 and 60",
			resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

// With a trusted proxy the citizen behind it is the client, for the rate
// limit and the access log; without one a forwarded header changes nothing.
func TestForwardedForIsBelievedOnlyFromTrustedProxies(t *testing.T) {
	t.Parallel()
	post := func(h *harness, forwarded string) int {
		req, _ := http.NewRequest("POST", "http://"+h.srv.HTTPAddr()+"/v1/feedback/ratings", strings.NewReader(`{"level": 4}`))
		req.Header.Set("X-Forwarded-For", forwarded)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	proxied := start(t, Config{AnonRatePerMinute: 1, AnonBurst: 1, TrustedProxies: mustProxies(t, "127.0.0.0/8")})
	if post(proxied, "203.0.113.1") == 429 || post(proxied, "6.6.6.6, 203.0.113.2") == 429 {
		t.Fatal("two citizens behind one proxy share a bucket")
	}
	if got := post(proxied, "7.7.7.7, 203.0.113.1"); got != http.StatusTooManyRequests {
		t.Errorf("203.0.113.1 again, with a spoofed left-most hop: %d, want 429", got)
	}
	if !strings.Contains(proxied.logs.String(), "client=203.0.113.2") {
		t.Errorf("access log does not name the client behind the proxy:\n%s", proxied.logs)
	}

	direct := start(t, Config{AnonRatePerMinute: 1, AnonBurst: 1})
	post(direct, "203.0.113.1")
	if got := post(direct, "203.0.113.2"); got != http.StatusTooManyRequests {
		t.Errorf("without --trusted-proxies a forged header bought a new bucket: %d", got)
	}
}

// The console's session cookie is Secure when the client reached us over
// HTTPS; behind a TLS proxy the server learns that from X-Forwarded-Proto,
// believed only from --trusted-proxies.
func TestSessionCookieIsSecureOnlyWhenATrustedProxySaysHTTPS(t *testing.T) {
	t.Parallel()
	signIn := func(h *harness, proto string) string {
		form := url.Values{"key": {h.kiosk}, "next": {"/console/"}}
		req, _ := http.NewRequest("POST", "http://"+h.srv.HTTPAddr()+"/console/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if proto != "" {
			req.Header.Set("X-Forwarded-Proto", proto)
		}
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		set := resp.Header.Get("Set-Cookie")
		if resp.StatusCode != http.StatusSeeOther || !strings.Contains(set, "wm_console=") {
			t.Fatalf("sign-in: %d %q", resp.StatusCode, set)
		}
		return set
	}
	secure := func(set string) bool { return strings.Contains(set, "; Secure") }
	proxied := start(t, Config{TrustedProxies: mustProxies(t, "127.0.0.0/8")})
	if set := signIn(proxied, "https"); !secure(set) {
		t.Errorf("behind a trusted proxy saying https: cookie %q is not Secure", set)
	}
	if set := signIn(proxied, "http"); secure(set) {
		t.Errorf("behind a trusted proxy saying http: cookie %q is Secure", set)
	}
	direct := start(t, Config{})
	if set := signIn(direct, "https"); secure(set) {
		t.Errorf("X-Forwarded-Proto from an untrusted peer was believed: cookie %q", set)
	}
}

func TestEveryHTTPRequestGetsOneAccessLogLine(t *testing.T) {
	t.Parallel()
	h := start(t, Config{})
	req, _ := http.NewRequest("GET", "http://"+h.srv.HTTPAddr()+"/v1/feedback/targets/abc/form", nil)
	req.Header.Set("X-Request-Id", "trace-77")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	var line string
	for _, l := range strings.Split(h.logs.String(), "\n") {
		if strings.Contains(l, "request_id=trace-77") && strings.Contains(l, "msg=http") {
			if line != "" {
				t.Fatalf("two access lines for one request:\n%s\n%s", line, l)
			}
			line = l
		}
	}
	for _, want := range []string{"method=GET", "route=/v1/feedback/targets/{target_id}/form", "status=404", "bytes=", "duration_ms=", "client=127.0.0.1"} {
		if !strings.Contains(line, want) {
			t.Errorf("access line %q lacks %q", line, want)
		}
	}
}

func TestConnectionsBeyondTheCapWaitForAFreeSlot(t *testing.T) {
	t.Parallel()
	h := start(t, Config{MaxConns: 1})
	hold, err := net.Dial("tcp", h.srv.HTTPAddr())
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 300 * time.Millisecond, Transport: &http.Transport{}}
	if resp, err := client.Get("http://" + h.srv.HTTPAddr() + "/healthz"); err == nil {
		resp.Body.Close()
		t.Fatal("a second connection was served while the only slot was held")
	}
	hold.Close()
	client.Timeout = 10 * time.Second
	resp, err := client.Get("http://" + h.srv.HTTPAddr() + "/healthz")
	if err != nil {
		t.Fatalf("after the slot was freed: %v", err)
	}
	resp.Body.Close()
}

// When calls take longer than 500 ms the bound follows throughput × 500 ms
// down to the floor of 64; when they are quick, however few, it stays at
// the ceiling; a stall takes it to the floor.
func TestTheWriteBoundFollowsThroughputWhenCallsAreSlow(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(0, 0)
	run := func(g *methodGate, perSecond int, took time.Duration, seconds int) {
		for s := 1; s <= seconds; s++ {
			for range perSecond {
				if g.admit(t0.Add(time.Duration(s-1) * time.Second)) {
					g.release(took)
				}
			}
			g.adjust(t0.Add(time.Duration(s) * time.Second))
		}
	}
	slow := newMethodGate(1000, t0)
	run(slow, 400, time.Second, 20)
	if got := slow.limit.Load(); got != 201 {
		t.Errorf("400 calls/s taking 1 s: bound %d, want 201 (200 = 400 × 0.5 s, approached from above)", got)
	}
	slower := newMethodGate(1000, t0)
	run(slower, 20, time.Second, 20)
	if got := slower.limit.Load(); got != minInflightWrites+1 {
		t.Errorf("20 calls/s taking 1 s: bound %d, want the floor %d", got, minInflightWrites+1)
	}
	quiet := newMethodGate(128, t0)
	run(quiet, 5, time.Millisecond, 5)
	if got := quiet.limit.Load(); got != 128 {
		t.Errorf("5 quick calls/s: bound %d, want the ceiling 128", got)
	}
	stalled := newMethodGate(128, t0)
	stalled.admit(t0) // never released: the database stopped answering
	for s := 1; s <= 10; s++ {
		stalled.adjust(t0.Add(time.Duration(s) * time.Second))
	}
	if got := stalled.limit.Load(); got != minInflightWrites+1 {
		t.Errorf("stalled: bound %d, want %d", got, minInflightWrites+1)
	}
}
