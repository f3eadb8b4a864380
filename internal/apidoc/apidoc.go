package apidoc

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
)

//go:embed openapi.json
var openapiJSON []byte

//go:embed ui static
var files embed.FS

// csp allows the page's own scripts and styles only. Swagger UI sets
// style attributes from script (allowed: CSSOM, not markup) and draws its
// icons from data: URIs in its stylesheet.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// Register adds /openapi.json, /docs and the page's assets to mux.
// version is the running build's, written into info.version.
func Register(mux *http.ServeMux, version string) error {
	doc, err := withVersion(openapiJSON, version)
	if err != nil {
		return err
	}
	uiVersion, _ := fs.ReadFile(files, "ui/VERSION")
	// The version in the asset URLs makes a browser fetch new files after
	// an upgrade instead of running a cached old bundle.
	page := strings.ReplaceAll(string(mustRead("static/docs.html")), "{{v}}",
		strings.ReplaceAll(strings.TrimSpace(string(uiVersion))+"-"+version, " ", "-"))

	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(doc)
	})
	mux.HandleFunc("GET /docs", func(w http.ResponseWriter, _ *http.Request) {
		secure(w)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write([]byte(page))
	})
	toDocs := func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/docs", http.StatusFound) }
	mux.HandleFunc("GET /{$}", toDocs)
	mux.HandleFunc("GET /docs/{$}", toDocs) // a typed trailing slash finds the page too
	assets := http.FileServerFS(files)
	mux.Handle("GET /docs/assets/", http.StripPrefix("/docs/assets", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/ui/") && !strings.HasPrefix(r.URL.Path, "/static/") || strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r)
			return
		}
		secure(w)
		w.Header().Set("Cache-Control", "public, max-age=86400")
		assets.ServeHTTP(w, r)
	})))
	return nil
}

func secure(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}

func mustRead(name string) []byte {
	b, err := fs.ReadFile(files, name)
	if err != nil {
		panic(err) // embedded at build time
	}
	return b
}

// withVersion sets info.version of the OpenAPI document.
func withVersion(doc []byte, version string) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(doc, &m); err != nil {
		return nil, fmt.Errorf("apidoc: embedded openapi.json: %w", err)
	}
	var info map[string]any
	if err := json.Unmarshal(m["info"], &info); err != nil {
		return nil, fmt.Errorf("apidoc: embedded openapi.json info: %w", err)
	}
	info["version"] = version
	m["info"], _ = json.Marshal(info)
	return json.MarshalIndent(m, "", "  ")
}
