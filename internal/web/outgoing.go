package web

import (
	"context"
	"net/http"

	"google.golang.org/grpc/metadata"

	"github.com/wenming/wenming/internal/clientaddr"
)

// CallContext is the context a page handler calls an RPC with: the key it
// acts with ("" for an anonymous caller), the caller's request id, and the
// client address the server's HTTP front resolved (clientaddr), passed as
// the JSON gateway passes it, so the server applies one rule for the client
// address — and the rate limits keyed on it — to every HTTP caller, page
// or API.
func CallContext(r *http.Request, key string) context.Context {
	md := metadata.MD{}
	if key != "" {
		md.Set("authorization", "Bearer "+key)
	}
	if id := r.Header.Get("X-Request-Id"); id != "" {
		md.Set("x-request-id", id)
	}
	if addr := clientaddr.From(r.Context()); addr != "" {
		md.Set(clientaddr.MD, addr)
	}
	return metadata.NewOutgoingContext(r.Context(), md)
}

// OverHTTPS says whether the client reached the server over HTTPS: the
// request itself came over TLS, or the server's HTTP front learned it from
// a trusted proxy's X-Forwarded-Proto (clientaddr.HTTPS). A header from
// anyone else is never believed.
func OverHTTPS(r *http.Request) bool {
	return r.TLS != nil || clientaddr.HTTPS(r.Context())
}
