// Package clientaddr carries the client address the HTTP front resolved
// (behind --trusted-proxies) from an HTTP request to the gRPC calls made
// for it, by the JSON gateway or by a web page, so every HTTP caller is
// keyed by one rule. It is a package of its own because both the server
// and the web pages it mounts need it.
package clientaddr

import "context"

// MD is the gRPC metadata key the address travels in over the in-process
// connection. The server believes it only there, and the gateway never
// forwards it from an HTTP header.
const MD = "wenming-client-addr"

type key struct{}

// With stores the resolved address in an HTTP request's context.
func With(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, key{}, addr)
}

// From returns the address With stored ("" if none).
func From(ctx context.Context) string {
	a, _ := ctx.Value(key{}).(string)
	return a
}

type httpsKey struct{}

// WithHTTPS records in an HTTP request's context whether the client
// reached the server over HTTPS: the request came over TLS, or through a
// trusted proxy that said so in X-Forwarded-Proto. The HTTP front decides;
// pages ask HTTPS (e.g. to mark a cookie Secure).
func WithHTTPS(ctx context.Context, https bool) context.Context {
	return context.WithValue(ctx, httpsKey{}, https)
}

// HTTPS returns what WithHTTPS stored (false if nothing).
func HTTPS(ctx context.Context) bool {
	b, _ := ctx.Value(httpsKey{}).(bool)
	return b
}
