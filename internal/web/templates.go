package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// Pages are an app's html/template pages. Files named layout*.html or
// partial_*.html are shared by every page; each other *.html file is one
// page, named by its file name without ".html", and is executed from its
// own top level (typically `{{template "layout" .}}` plus the blocks it
// defines).
type Pages struct {
	pages map[string]*template.Template
	log   *slog.Logger
}

// ParsePages parses every template of fsys (its root folder). funcs are
// available to every template; "asset" is added when static is not nil.
func ParsePages(fsys fs.FS, static *Static, funcs template.FuncMap, log *slog.Logger) (*Pages, error) {
	if log == nil {
		log = slog.Default()
	}
	all := template.FuncMap{}
	if static != nil {
		all["asset"] = static.URL
	}
	for k, v := range funcs {
		all[k] = v
	}
	names, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return nil, err
	}
	var shared, pages []string
	for _, n := range names {
		if strings.HasPrefix(n, "layout") || strings.HasPrefix(n, "partial_") {
			shared = append(shared, n)
		} else {
			pages = append(pages, n)
		}
	}
	base := template.New("").Funcs(all)
	if len(shared) > 0 {
		if base, err = base.ParseFS(fsys, shared...); err != nil {
			return nil, fmt.Errorf("web: templates: %w", err)
		}
	}
	p := &Pages{pages: map[string]*template.Template{}, log: log}
	for _, n := range pages {
		t, err := template.Must(base.Clone()).ParseFS(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("web: template %s: %w", n, err)
		}
		p.pages[strings.TrimSuffix(path.Base(n), ".html")] = t.Lookup(n)
	}
	return p, nil
}

// Render writes page with data and status. The page is executed into a
// buffer first, so a template error becomes a clean 500, not half a page.
// Pages are not cached unless the handler set its own Cache-Control first
// (the feedback form keeps its page private so the back button shows the
// same form, with the same request id, again).
func (p *Pages) Render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	t, ok := p.pages[page]
	if !ok {
		p.log.Error("web: no such page", "page", page)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		p.log.Error("web: render", "page", page, "err", err, "path", r.URL.Path)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-store")
	}
	h.Add("Vary", "Accept-Encoding")
	body := buf.Bytes()
	if len(body) > 1024 && acceptsGzip(r) {
		if gz := gzipped(body); gz != nil {
			h.Set("Content-Encoding", "gzip")
			body = gz
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// Has reports whether a page exists.
func (p *Pages) Has(page string) bool { _, ok := p.pages[page]; return ok }
