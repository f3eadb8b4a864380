package server

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"

	"github.com/wenming/wenming/internal/clientaddr"
)

// clientAddrMD carries the client address the HTTP front resolved to the
// gRPC server over the in-process connection. HTTP callers cannot set it:
// incomingHeader drops Grpc-Metadata-Wenming-Client-Addr, and it is only
// believed on the in-process connection.
const clientAddrMD = clientaddr.MD

// Proxies are the networks whose forwarding headers are believed
// (--trusted-proxies). With none, X-Forwarded-For is ignored and the
// client is the TCP peer.
type Proxies []netip.Prefix

// ParseProxies reads a comma-separated list of CIDRs or single addresses.
func ParseProxies(s string) (Proxies, error) {
	var out Proxies
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("%q is not an address or CIDR", f)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address or CIDR", f)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func (ps Proxies) trusts(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Client resolves who is calling: the peer, unless the peer is a trusted
// proxy, in which case the right-most X-Forwarded-For address that is not
// a trusted proxy. Addresses to the left of it were written by the client
// or by proxies we know nothing about, so they are never believed. If
// every hop is trusted, the left-most is the client; a hop that is not an
// address ends the walk at the last trusted hop before it.
func (ps Proxies) Client(peerHost string, forwarded []string) string {
	client := peerHost
	if !ps.trusts(client) {
		return client
	}
	var hops []string
	for _, f := range forwarded {
		for _, h := range strings.Split(f, ",") {
			hops = append(hops, strings.TrimSpace(h))
		}
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			return client
		}
		client = a.Unmap().String()
		if !ps.trusts(client) {
			return client
		}
	}
	return client
}

// HTTPS decides whether the client reached us over HTTPS: the connection
// is TLS, or the peer is a trusted proxy whose X-Forwarded-Proto says
// https. The right-most value is the one the trusted peer wrote; values
// to its left came from hops it forwarded and are not believed. From a
// peer that is not trusted the header means nothing.
func (ps Proxies) HTTPS(peerHost string, overTLS bool, forwardedProto []string) bool {
	if overTLS {
		return true
	}
	if !ps.trusts(peerHost) || len(forwardedProto) == 0 {
		return false
	}
	hops := strings.Split(forwardedProto[len(forwardedProto)-1], ",")
	return strings.EqualFold(strings.TrimSpace(hops[len(hops)-1]), "https")
}

type clientAddrKey struct{}

// ClientAddr is the caller's address as resolved by withClientAddr: for
// gRPC callers the TCP peer (or, behind a trusted proxy, the client it
// forwarded), for HTTP callers what the HTTP front resolved the same way.
func ClientAddr(ctx context.Context) string {
	a, _ := ctx.Value(clientAddrKey{}).(string)
	return a
}

func hostOnly(addr string) string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return host
}

// withClientAddr stores the resolved client address in the context.
func (ps Proxies) withClientAddr(ctx context.Context) context.Context {
	p, ok := peer.FromContext(ctx)
	if !ok || p.Addr == nil {
		return ctx
	}
	var addr string
	if p.Addr.Network() == "bufconn" {
		if v := metadata.ValueFromIncomingContext(ctx, clientAddrMD); len(v) > 0 {
			addr = v[len(v)-1]
		}
	} else {
		addr = ps.Client(hostOnly(p.Addr.String()), metadata.ValueFromIncomingContext(ctx, "x-forwarded-for"))
	}
	return context.WithValue(ctx, clientAddrKey{}, addr)
}

func (ps Proxies) unary(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
	return next(ps.withClientAddr(ctx), req)
}

func (ps Proxies) stream(srv any, ss grpc.ServerStream, _ *grpc.StreamServerInfo, next grpc.StreamHandler) error {
	return next(srv, &ctxStream{ServerStream: ss, ctx: ps.withClientAddr(ss.Context())})
}
