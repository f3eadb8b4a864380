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
