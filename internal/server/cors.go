package server

import (
	"net/http"

	"github.com/rs/cors"
)

// withCORS lets browser pages served from the listed origins call the
// HTTP API (--cors-origins). Off unless origins are given: the API is
// for kiosks, servers and the pages this server serves itself, none of
// which need it. Keys travel in the Authorization header, never in
// cookies, so credentials mode stays off.
func withCORS(h http.Handler, origins []string) http.Handler {
	if len(origins) == 0 {
		return h
	}
	return cors.New(cors.Options{
		AllowedOrigins: origins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete},
		AllowedHeaders: []string{"Authorization", "Content-Type", "Accept", "X-Request-Id"},
		ExposedHeaders: []string{"X-Request-Id"},
		MaxAge:         600,
	}).Handler(h)
}
