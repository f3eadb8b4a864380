package kiosk

import (
	"embed"
	"io/fs"
	"net/http"
	"strconv"

	"github.com/wenming/wenming/internal/web"
)

//go:embed templates static
var files embed.FS

// Idle timeouts, in seconds: how long a screen waits for a touch before the
// kiosk wipes the player and returns to the attract screen.
const (
	DefaultIdleSeconds = 90
	// minIdleSeconds lets a browser test see the timeout without waiting
	// long; a kiosk installer may also set a longer one with ?idle=N.
	minIdleSeconds = 3
	maxIdleSeconds = 600
)

type page struct {
	// Setup is true on /kiosk/setup.
	Setup       bool
	IdleSeconds int
}

// New returns the kiosk app, mounted at /kiosk.
func New(env web.Env) (web.App, error) {
	sfs, _ := fs.Sub(files, "static")
	tfs, _ := fs.Sub(files, "templates")
	static, err := web.NewStatic(sfs, "/kiosk/static/")
	if err != nil {
		return web.App{}, err
	}
	pages, err := web.ParsePages(tfs, static, nil, env.Logger)
	if err != nil {
		return web.App{}, err
	}
	render := func(setup bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			pages.Render(w, r, http.StatusOK, "kiosk", page{Setup: setup, IdleSeconds: idleSeconds(r)})
		}
	}
	mux := http.NewServeMux()
	mux.Handle("GET /kiosk/static/", static)
	mux.HandleFunc("GET /kiosk", render(false))
	mux.HandleFunc("GET /kiosk/{$}", render(false))
	mux.HandleFunc("GET /kiosk/setup", render(true))
	mux.HandleFunc("GET /kiosk/", http.NotFound)
	return web.App{Name: "kiosk", Patterns: []string{"/kiosk", "/kiosk/"}, Handler: mux}, nil
}

// idleSeconds is the ?idle= of the page's address when it is a sensible
// number of seconds, else the default.
func idleSeconds(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("idle"))
	if err != nil || n < minIdleSeconds || n > maxIdleSeconds {
		return DefaultIdleSeconds
	}
	return n
}
