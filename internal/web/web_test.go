package web

import (
	"compress/gzip"
	"context"
	"embed"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/wenming/wenming/internal/clientaddr"
)

//go:embed testdata
var testdata embed.FS

func testApp(t *testing.T) http.Handler {
	t.Helper()
	sfs, _ := fs.Sub(testdata, "testdata/static")
	tfs, _ := fs.Sub(testdata, "testdata/templates")
	static, err := NewStatic(sfs, "/t/static/")
	if err != nil {
		t.Fatal(err)
	}
	pages, err := ParsePages(tfs, static, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /t/static/", static)
	mux.HandleFunc("GET /t/hello", func(w http.ResponseWriter, r *http.Request) {
		pages.Render(w, r, http.StatusOK, "hello", map[string]string{"Name": r.URL.Query().Get("name")})
	})
	return Secure(mux)
}

func get(t *testing.T, h http.Handler, path string, hdr ...string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestPagesEscapeAndCarrySecurityHeaders(t *testing.T) {
	h := testApp(t)
	resp := get(t, h, "/t/hello?name=<script>alert(1)</script>")
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if strings.Contains(string(body), "<script>alert(1)") || !strings.Contains(string(body), "&lt;script&gt;alert(1)") {
		t.Errorf("name not escaped:\n%s", body)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "default-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers: %v", resp.Header)
	}
}

func TestStaticFilesHaveHashedURLsAndGzip(t *testing.T) {
	h := testApp(t)
	page := get(t, h, "/t/hello")
	body, _ := io.ReadAll(page.Body)
	i := strings.Index(string(body), "/t/static/")
	if i < 0 {
		t.Fatalf("no static URL in page:\n%s", body)
	}
	url := string(body[i:])
	url = url[:strings.IndexByte(url, '"')]
	if !strings.HasSuffix(url, "/app.css") || len(url) != len("/t/static/")+12+len("/app.css") {
		t.Fatalf("static URL %q is not prefix/hash/name", url)
	}
	resp := get(t, h, url, "Accept-Encoding", "gzip, deflate")
	if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("headers %v", resp.Header)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	css, _ := io.ReadAll(zr)
	if !strings.Contains(string(css), "font-family") {
		t.Errorf("css %q", css)
	}
	plain := get(t, h, url)
	if plain.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip sent to a client that did not ask for it")
	}
	if r := get(t, h, "/t/static/0123456789ab/missing.css"); r.StatusCode != 404 {
		t.Errorf("missing file: %d", r.StatusCode)
	}
	stale := get(t, h, "/t/static/000000000000/app.css")
	if stale.StatusCode != 200 || strings.Contains(stale.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("a stale hash must be served but not kept: %d %v", stale.StatusCode, stale.Header)
	}
}

func TestCallContextForwardsLikeTheGateway(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "/f/abc", nil)
	req = req.WithContext(clientaddr.With(req.Context(), "198.51.100.1"))
	req.Header.Set("X-Request-Id", "r-1")
	md, _ := metadata.FromOutgoingContext(CallContext(req, "k1"))
	if got := md.Get(clientaddr.MD); len(got) != 1 || got[0] != "198.51.100.1" {
		t.Errorf("client address %v, want what the HTTP front resolved", got)
	}
	if got := md.Get("authorization"); len(got) != 1 || got[0] != "Bearer k1" {
		t.Errorf("authorization %v", got)
	}
	if got := md.Get("x-request-id"); len(got) != 1 || got[0] != "r-1" {
		t.Errorf("x-request-id %v", got)
	}
	md, _ = metadata.FromOutgoingContext(CallContext(httptest.NewRequest(http.MethodGet, "/", nil), ""))
	if len(md.Get("authorization")) != 0 {
		t.Errorf("anonymous call carries a key: %v", md)
	}
	_ = context.Background()
}

func TestProblemOfReadsFieldsAndReason(t *testing.T) {
	st, _ := status.New(codes.InvalidArgument, "invalid request").WithDetails(
		&errdetails.BadRequest{FieldViolations: []*errdetails.BadRequest_FieldViolation{
			{Field: "rating.comment", Description: "is too long"},
			{Field: "answers", Description: "question \"Q3\" is required", Reason: "ANSWER_REQUIRED"},
			{Field: "answers", Description: "question \"Q5\" is required", Reason: "ANSWER_REQUIRED"},
		}},
		&errdetails.ErrorInfo{Reason: "INVALID_INPUT", Domain: "wenming"},
	)
	p := ProblemOf(st.Err())
	if p.Status != 400 || p.Reason != "INVALID_INPUT" || p.Message == "" {
		t.Errorf("%+v", p)
	}
	if got := p.Fields["rating.comment"]; len(got) != 1 || got[0] != "is too long" {
		t.Errorf("rating.comment: %q", got)
	}
	// Two violations of one field are both kept, in order, with reasons.
	if got := p.Fields["answers"]; len(got) != 2 || got[0] != `question "Q3" is required` || got[1] != `question "Q5" is required` {
		t.Errorf("answers: %q", got)
	}
	if len(p.Violations) != 3 || p.Violations[2] != (Violation{"answers", `question "Q5" is required`, "ANSWER_REQUIRED"}) {
		t.Errorf("violations: %+v", p.Violations)
	}
	if p := ProblemOf(status.Error(codes.ResourceExhausted, "slow down")); p.Status != 429 {
		t.Errorf("%+v", p)
	}
}

// An inline style allowed by hash runs; the policy stays strict otherwise.
func TestAllowInlineAddsOnlyTheGivenHashes(t *testing.T) {
	h := http.Header{}
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	css := "body{color:#111}"
	AllowInline(h, nil, []string{InlineHash(css)})
	csp := h.Get("Content-Security-Policy")
	// echo -n 'body{color:#111}' | openssl dgst -sha256 -binary | base64
	want := "style-src 'self' 'sha256-" + "zFZMo79PSr4SwN3ueoZ7/hmNQQ+kvT+BwDZTEZCR7Lg=" + "'"
	if !strings.Contains(csp, want) || !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q, want %q and scripts untouched", csp, want)
	}
}
