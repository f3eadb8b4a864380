package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
)

// Static serves an app's embedded files under content-hashed URLs
// (prefix + hash + "/" + name), so browsers may keep them for a year and a
// new build is fetched at once. Text files are gzipped once at start and
// sent compressed to every browser that accepts it.
type Static struct {
	prefix string
	files  map[string]*staticFile // by name, e.g. "form.js"
}

type staticFile struct {
	hash  string
	ctype string
	raw   []byte
	gz    []byte // nil when compression does not pay
}

// NewStatic reads every file of fsys (rooted at the app's static folder).
// prefix is the path the files are served under, e.g. "/f/static/".
func NewStatic(fsys fs.FS, prefix string) (*Static, error) {
	s := &Static{prefix: prefix, files: map[string]*staticFile{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		raw, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(raw)
		f := &staticFile{hash: hex.EncodeToString(sum[:6]), ctype: contentType(name), raw: raw}
		if compressible(f.ctype) {
			f.gz = gzipped(raw)
		}
		s.files[name] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	return s, nil
}

// URL is the hashed address of a static file; it panics on a name that is
// not embedded, so a typo in a template fails the page's first render in
// tests rather than a browser's request in production.
func (s *Static) URL(name string) string {
	f, ok := s.files[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return s.prefix + f.hash + "/" + name
}

// Size is the size in bytes of a file as sent to a browser that accepts
// gzip (for page-weight checks); 0 for an unknown name.
func (s *Static) Size(name string) int {
	f, ok := s.files[name]
	switch {
	case !ok:
		return 0
	case f.gz != nil:
		return len(f.gz)
	default:
		return len(f.raw)
	}
}

// ServeHTTP serves prefix + hash + "/" + name. A hash of another build is
// served too (a page cached across a restart still works) but not kept.
func (s *Static) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, s.prefix)
	hash, name, ok2 := strings.Cut(rest, "/")
	f := s.files[name]
	if !ok || !ok2 || f == nil {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Vary", "Accept-Encoding")
	if hash == f.hash {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	body := f.raw
	if f.gz != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = f.gz
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(body)
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".json":
		return "application/json"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.Contains(ctype, "svg") || strings.Contains(ctype, "json")
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}

// gzipWriters keeps compressors for reuse: a new one allocates and clears
// its large tables, which cost more than compressing a page.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestCompression)
	return zw
}}

func gzipped(raw []byte) []byte {
	var buf bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&buf)
	_, _ = zw.Write(raw)
	_ = zw.Close()
	if buf.Len() >= len(raw) {
		return nil
	}
	return buf.Bytes()
}
