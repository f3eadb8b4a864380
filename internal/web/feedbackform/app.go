package feedbackform

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/web"
)

// TokenPurpose names the sub-key of the server secret form tokens are
// signed with.
const TokenPurpose = "feedback form token v1"

//go:embed templates static
var files embed.FS

// Prefix is where the form's pages live.
const Prefix = "/f/"

// handler serves the form's pages; every one is a client of the API over
// env.Conn.
type handler struct {
	env     web.Env
	pages   *web.Pages
	static  *web.Static
	tokens  web.FormTokens
	ratings feedbackv1.RatingServiceClient
	cases   feedbackv1.CaseServiceClient
	targets feedbackv1.TargetServiceClient
}

// New builds the feedback form app.
func New(env web.Env) (web.App, error) {
	sfs, _ := fs.Sub(files, "static")
	tfs, _ := fs.Sub(files, "templates")
	static, err := web.NewStatic(sfs, Prefix+"static/")
	if err != nil {
		return web.App{}, err
	}
	now := env.Now
	if now == nil {
		now = time.Now
	}
	loc := env.Location
	if loc == nil {
		loc = time.UTC
	}
	// The form's stylesheet and script are inlined (allowed by their
	// hashes in the CSP): on a slow phone network every extra request
	// costs a round trip of seconds before the form is usable, and a QR
	// visitor rarely comes back to a warm cache.
	css, err := fs.ReadFile(sfs, "form.css")
	if err != nil {
		return web.App{}, err
	}
	js, err := fs.ReadFile(sfs, "form.js")
	if err != nil {
		return web.App{}, err
	}
	funcs := template.FuncMap{
		"inlineCSS": func() template.CSS { return template.CSS(css) },
		"inlineJS":  func() template.JS { return template.JS(js) },
		"join":      strings.Join,
		"local":     func(t time.Time) string { return t.In(loc).Format("2006年1月2日 15:04") },
		"add":       func(a, b int) int { return a + b },
	}
	pages, err := web.ParsePages(tfs, static, funcs, env.Logger)
	if err != nil {
		return web.App{}, err
	}
	h := &handler{
		env: env, pages: pages, static: static,
		ratings: feedbackv1.NewRatingServiceClient(env.Conn),
		cases:   feedbackv1.NewCaseServiceClient(env.Conn),
		targets: feedbackv1.NewTargetServiceClient(env.Conn),
	}
	if env.SubKey != nil {
		h.tokens = web.NewFormTokens(env.SubKey(TokenPurpose), now)
	}
	if !h.tokens.Ready() {
		if env.Logger != nil {
			env.Logger.Warn("no --secret-key: the feedback form at /f/ cannot issue form tokens and refuses ratings")
		}
	}
	mux := http.NewServeMux()
	mux.Handle("GET "+Prefix+"static/", static)
	mux.HandleFunc("GET "+Prefix+"{code}", h.form)
	mux.HandleFunc("POST "+Prefix+"{code}", h.submit)
	mux.HandleFunc("GET "+Prefix+"case/{code}", h.caseStatus)
	mux.HandleFunc("GET "+Prefix+"posters/{id}", h.posters)
	mux.HandleFunc("GET /v1/targets/{id}/qr.svg", h.qrSVG)
	mux.HandleFunc("GET /v1/targets/{id}/qr.png", h.qrPNG)
	scripts, styles := []string{web.InlineHash(string(js))}, []string{web.InlineHash(string(css))}
	return web.App{
		Name:     "feedbackform",
		Patterns: []string{Prefix, "GET /v1/targets/{id}/qr.svg", "GET /v1/targets/{id}/qr.png"},
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			web.AllowInline(w.Header(), scripts, styles)
			mux.ServeHTTP(w, r)
		}),
	}, nil
}

// errorPage is what every failure shows: a sentence, and where to go.
type errorPage struct {
	Title, Message string
	Retry          string // a link to start again, "" for none
}

func (h *handler) fail(w http.ResponseWriter, r *http.Request, status int, e errorPage) {
	if e.Title == "" {
		e.Title = "出错了"
	}
	h.pages.Render(w, r, status, "error", e)
}

// failCall shows a failed RPC as a page.
func (h *handler) failCall(w http.ResponseWriter, r *http.Request, err error, retry string) {
	p := web.ProblemOf(err)
	if p.Status >= 500 && h.env.Logger != nil {
		h.env.Logger.Error("feedbackform: call failed", "path", r.URL.Path, "err", err)
	}
	if p.RetryAfter > 0 {
		w.Header().Set("Retry-After", itoa(p.RetryAfter))
	}
	h.fail(w, r, p.Status, errorPage{Message: p.Message, Retry: retry})
}
