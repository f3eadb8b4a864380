package web

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
)

// contentSecurityPolicy allows nothing from other hosts and no inline
// script or style: every script and stylesheet is a file we serve.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Secure sets the security headers every page and asset carries.
func Secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		next.ServeHTTP(w, r)
	})
}

// InlineHash is the CSP source that allows one inline <script> or <style>
// whose text is exactly text.
func InlineHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// AllowInline widens the policy Secure set for one response to the inline
// scripts and styles with the given hashes (from InlineHash) — exactly
// those texts and nothing else. A page that must render in one round trip
// (the feedback form on a slow phone network) inlines its small stylesheet
// and script this way instead of fetching them.
func AllowInline(h http.Header, scripts, styles []string) {
	csp := h.Get("Content-Security-Policy")
	if csp == "" {
		csp = contentSecurityPolicy
	}
	if len(scripts) > 0 {
		csp = strings.Replace(csp, "script-src 'self'", "script-src 'self' "+strings.Join(scripts, " "), 1)
	}
	if len(styles) > 0 {
		csp = strings.Replace(csp, "style-src 'self'", "style-src 'self' "+strings.Join(styles, " "), 1)
	}
	h.Set("Content-Security-Policy", csp)
}
