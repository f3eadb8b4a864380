package web

import (
	"context"
	"net"
	"net/http"

	"google.golang.org/grpc/metadata"
)

// CallContext is the context a page handler calls an RPC with: the key it
// acts with ("" for an anonymous caller), the caller's request id, and the
// client address forwarded exactly as the JSON gateway forwards it (the
// request's X-Forwarded-For, then the TCP peer), so the server applies one
// rule for the client address — and the rate limits keyed on it — to every
// HTTP caller, page or API.
func CallContext(r *http.Request, key string) context.Context {
	md := metadata.MD{}
	if key != "" {
		md.Set("authorization", "Bearer "+key)
	}
	if id := r.Header.Get("X-Request-Id"); id != "" {
		md.Set("x-request-id", id)
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		fwd := host
		if prior := r.Header.Get("X-Forwarded-For"); prior != "" {
			fwd = prior + ", " + host
		}
		md.Set("x-forwarded-for", fwd)
	}
	return metadata.NewOutgoingContext(r.Context(), md)
}
