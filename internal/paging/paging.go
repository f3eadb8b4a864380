// Package paging implements AIP-158 list pagination: a page size with a
// default and a maximum, and an opaque page token that carries the sort key
// of the last row returned (keyset pagination, so deep pages stay cheap).
package paging

import (
	"encoding/base64"
	"strings"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/textrule"
)

// Page is a validated page request.
type Page struct {
	Size int
	// After is the sort key the previous page ended on ("" for the first).
	After string
}

// Parse validates page_size and page_token, recording problems in v.
// A zero size means def; sizes above max are clamped to max (AIP-158).
func Parse(v *apierr.Violations, size int32, token string, def, max int) Page {
	p := Page{Size: int(size)}
	switch {
	case size < 0:
		v.Add("page_size", "must not be negative")
	case size == 0:
		p.Size = def
	case int(size) > max:
		p.Size = max
	}
	if token != "" {
		after, ok := decode(token)
		if !ok {
			v.Add("page_token", "is not a token returned by this list; start again without it")
		}
		p.After = after
	}
	return p
}

// Next returns the token for the page after one that ended on lastKey, or ""
// when the page was not full (so there is nothing more).
func (p Page) Next(returned int, lastKey string) string {
	if returned < p.Size || lastKey == "" {
		return ""
	}
	return encode(lastKey)
}

// Map converts the items of a page for the response with conv, in order,
// and returns them with the token of the next page, made from the key of
// the last item. A page with no items gives nil and "".
func Map[T, R any](p Page, items []T, conv func(T) R, key func(T) string) ([]R, string) {
	if len(items) == 0 {
		return nil, p.Next(0, "")
	}
	out := make([]R, len(items))
	for i, it := range items {
		out[i] = conv(it)
	}
	return out, p.Next(len(items), key(items[len(items)-1]))
}

const tokenVersion = "v1:"

func encode(key string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(tokenVersion + key))
}

func decode(token string) (string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil {
		return "", false
	}
	key, ok := strings.CutPrefix(string(raw), tokenVersion)
	// A forged token must not smuggle a NUL or invalid UTF-8 into a query
	// (PostgreSQL refuses both with an error, not an empty page).
	if !ok || key == "" || textrule.Problem(textrule.Line, key) != "" {
		return "", false
	}
	return key, true
}
