package console_test

import (
	"context"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wenming/wenming/internal/demo"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/testserver"
	"github.com/wenming/wenming/internal/web/webtest"
)

// demoServer is a real server loaded with the demo data, as `serve
// --demo` starts it, with the demo keys.
type demoServer struct {
	*testserver.Server
	keys demo.Keys
}

func withDemo(t *testing.T, fn func(t *testing.T, s demoServer)) {
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		keys, err := demo.Load(context.Background(), rpc.Deps{DB: s.DB, Location: loc, Secret: secret})
		if err != nil {
			t.Fatal(err)
		}
		fn(t, demoServer{Server: s, keys: keys})
	}, func(d *rpc.Deps) { d.Secret = secret })
}

// client is a cookie-keeping HTTP client that does not follow redirects,
// so tests see the console's 303s.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

func newClient(t *testing.T, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type reply struct {
	status   int
	header   http.Header
	body     string
	location string
}

func (c *client) do(method, path string, form url.Values) reply {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: string(raw), location: resp.Header.Get("Location")}
}

func (c *client) signIn(key string) reply {
	c.t.Helper()
	return c.do("POST", "/console/login", url.Values{"key": {key}, "next": {"/console/cases"}})
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf reads the CSRF token from a console page.
func (c *client) csrf() string {
	c.t.Helper()
	r := c.do("GET", "/console/cases", nil)
	m := csrfField.FindStringSubmatch(r.body)
	if m == nil {
		c.t.Fatalf("no CSRF token on /console/cases (%d):\n%s", r.status, r.body)
	}
	return m[1]
}

// shot saves a screenshot of the page as it is and checks it with
// axe-core: every console page a test opens is checked.
func shot(t *testing.T, b *webtest.Browser, name string) {
	t.Helper()
	b.Screenshot(name)
	for _, v := range b.Axe() {
		t.Errorf("%s: %s", name, v)
	}
}
