package console

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/web"
)

//go:embed templates static
var files embed.FS

// Prefix is where the console is mounted.
const Prefix = "/console"

type handler struct {
	env    web.Env
	pages  *web.Pages
	static *web.Static
	// csrfKey keys the HMAC that derives a session's CSRF token.
	csrfKey []byte
	// secureCookie marks the session cookie Secure: set when the public
	// address is https (the server sits behind a TLS proxy); a request
	// that came over TLS, or through a trusted proxy (--trusted-proxies)
	// whose X-Forwarded-Proto says https, gets a Secure cookie regardless.
	secureCookie bool
}

// New builds the console app.
func New(env web.Env) (web.App, error) {
	sfs, _ := fs.Sub(files, "static")
	tfs, _ := fs.Sub(files, "templates")
	static, err := web.NewStatic(sfs, Prefix+"/static/")
	if err != nil {
		return web.App{}, err
	}
	if env.Now == nil {
		env.Now = time.Now
	}
	if env.Location == nil {
		env.Location = time.UTC
	}
	h := &handler{env: env, static: static, secureCookie: strings.HasPrefix(env.PublicURL, "https://")}
	if env.SubKey != nil {
		h.csrfKey = env.SubKey("console csrf v1")
	}
	if h.pages, err = web.ParsePages(tfs, static, h.funcs(), env.Logger); err != nil {
		return web.App{}, err
	}
	mux := http.NewServeMux()
	mux.Handle("GET "+Prefix+"/static/", static)
	mux.HandleFunc("GET "+Prefix+"/login", h.loginPage)
	mux.HandleFunc("POST "+Prefix+"/login", h.login)
	mux.HandleFunc("POST "+Prefix+"/logout", h.staff(h.logout))
	mux.HandleFunc("GET "+Prefix+"/{$}", h.staff(h.home))
	mux.HandleFunc("GET "+Prefix, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, Prefix+"/", http.StatusSeeOther)
	})
	h.caseRoutes(mux)
	h.indexRoutes(mux)
	h.feedbackRoutes(mux)
	h.quizRoutes(mux)
	h.supervisionRoutes(mux)
	return web.App{Name: "console", Patterns: []string{Prefix, Prefix + "/"}, Handler: mux}, nil
}

func (h *handler) funcs() template.FuncMap {
	fm := template.FuncMap(labelFuncs())
	for k, v := range (template.FuncMap{
		"when": func(t time.Time) string {
			if t.IsZero() {
				return "—"
			}
			return t.In(h.env.Location).Format("2006-01-02 15:04")
		},
		"day":   h.day,
		"fixed": func(digits int, v float64) string { return fixed(v, digits) },
		"pct":   func(v float64) string { return fixed(v*100, 1) + "%" },
	}) {
		fm[k] = v
	}
	return fm
}

// page is what every page's template gets: the signed-in person (nil on
// the sign-in page), the navigation, the CSRF token for forms, and the
// page's own data.
type page struct {
	Title string
	Staff *staff
	Nav   []navItem
	Here  string
	CSRF  string
	Flash string
	Data  any
}

type navItem struct {
	Label, Path string
}

// nav is the menu for a role: only what the role's RPCs can open.
func nav(s *staff) []navItem {
	var out []navItem
	switch s.Role {
	case "officer":
		out = append(out, navItem{"案件工作台", Prefix + "/cases"})
		out = append(out, navItem{"督导考核", Prefix + "/supervision"})
	case "inspector":
		out = append(out, navItem{"待复查", Prefix + "/supervision"})
	case "analyst", "admin":
		out = append(out,
			navItem{"文明指数", Prefix + "/index"},
			navItem{"好差评", Prefix + "/feedback"},
			navItem{"知识竞赛", Prefix + "/quiz"},
			navItem{"案件", Prefix + "/cases"},
		)
		out = append(out, navItem{"督导考核", Prefix + "/supervision"})
	}
	return out
}

func (h *handler) render(w http.ResponseWriter, r *http.Request, s *staff, status int, name, title string, data any) {
	p := page{Title: title, Staff: s, Here: r.URL.Path, Data: data}
	if s != nil {
		p.Nav, p.CSRF = nav(s), s.CSRF
	}
	h.pages.Render(w, r, status, name, p)
}

// problem shows a failed call as a page with the server's reason.
func (h *handler) problem(w http.ResponseWriter, r *http.Request, s *staff, err error) {
	p := web.ProblemOf(err)
	h.render(w, r, s, p.Status, "problem", "出错了", p)
}

// day shows a timestamp's date in the configured zone.
func (h *handler) day(ts interface{ AsTime() time.Time }) string {
	if ts == nil {
		return "—"
	}
	t := ts.AsTime()
	if t.IsZero() || t.Unix() == 0 {
		return "—"
	}
	return t.In(h.env.Location).Format("2006-01-02")
}

func (h *handler) home(w http.ResponseWriter, r *http.Request, s *staff) {
	if items := nav(s); len(items) > 0 {
		http.Redirect(w, r, items[0].Path, http.StatusSeeOther)
		return
	}
	h.render(w, r, s, http.StatusOK, "home", "控制台", nil)
}
