package server

import (
	"context"
	"net"
	"testing"

	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/peer"
)

func peerCtx(addr string) context.Context {
	tcp, _ := net.ResolveTCPAddr("tcp", addr)
	return peer.NewContext(context.Background(), &peer.Peer{Addr: tcp})
}

type bufAddr struct{}

func (bufAddr) Network() string { return "bufconn" }
func (bufAddr) String() string  { return "bufconn" }

func mustProxies(t *testing.T, s string) Proxies {
	t.Helper()
	p, err := ParseProxies(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestClientIsTheRightMostUntrustedHop(t *testing.T) {
	t.Parallel()
	proxies := mustProxies(t, "10.0.0.0/8, 192.0.2.1")
	tests := []struct {
		name      string
		proxies   Proxies
		peer      string
		forwarded []string
		want      string
	}{
		{"no proxies trusted: the header is ignored", nil, "10.0.0.5", []string{"203.0.113.9"}, "10.0.0.5"},
		{"an untrusted peer cannot forward", proxies, "198.51.100.4", []string{"203.0.113.9"}, "198.51.100.4"},
		{"behind one trusted proxy", proxies, "10.0.0.5", []string{"203.0.113.9"}, "203.0.113.9"},
		{"a spoofed left-most entry loses", proxies, "10.0.0.5", []string{"1.2.3.4, 203.0.113.9"}, "203.0.113.9"},
		{"two trusted hops, header split over lines", proxies, "10.0.0.5", []string{"1.2.3.4, 203.0.113.9", "192.0.2.1"}, "203.0.113.9"},
		{"every hop trusted: the left-most", proxies, "10.0.0.5", []string{"10.1.1.1, 10.2.2.2"}, "10.1.1.1"},
		{"garbage ends the walk at the last trusted hop", proxies, "10.0.0.5", []string{"203.0.113.9, not-an-ip"}, "10.0.0.5"},
		{"IPv4-mapped IPv6 is the IPv4 address", proxies, "::ffff:10.0.0.5", []string{"203.0.113.9"}, "203.0.113.9"},
		{"trusted but nothing forwarded", proxies, "10.0.0.5", nil, "10.0.0.5"},
	}
	for _, tt := range tests {
		if got := tt.proxies.Client(tt.peer, tt.forwarded); got != tt.want {
			t.Errorf("%s: Client = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestForwardedProtoIsBelievedOnlyFromATrustedPeer(t *testing.T) {
	t.Parallel()
	proxies := mustProxies(t, "10.0.0.0/8")
	tests := []struct {
		name    string
		proxies Proxies
		peer    string
		tls     bool
		proto   []string
		want    bool
	}{
		{"TLS to us", nil, "198.51.100.4", true, nil, true},
		{"no proxies trusted: the header is ignored", nil, "10.0.0.5", false, []string{"https"}, false},
		{"an untrusted peer cannot say https", proxies, "198.51.100.4", false, []string{"https"}, false},
		{"a trusted proxy says https", proxies, "10.0.0.5", false, []string{"https"}, true},
		{"a trusted proxy says HTTPS", proxies, "10.0.0.5", false, []string{"HTTPS"}, true},
		{"a trusted proxy says http", proxies, "10.0.0.5", false, []string{"http"}, false},
		{"a client's https left of the proxy's http loses", proxies, "10.0.0.5", false, []string{"https, http"}, false},
		{"the right-most line is the proxy's", proxies, "10.0.0.5", false, []string{"http", "https"}, true},
		{"trusted but nothing said", proxies, "10.0.0.5", false, nil, false},
	}
	for _, tt := range tests {
		if got := tt.proxies.HTTPS(tt.peer, tt.tls, tt.proto); got != tt.want {
			t.Errorf("%s: HTTPS = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestParseProxiesRefusesWhatIsNotAnAddress(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"10.0.0.0/33", "nginx", "10.0.0.1/8/8"} {
		if _, err := ParseProxies(bad); err == nil {
			t.Errorf("ParseProxies(%q) accepted it", bad)
		}
	}
	if p := mustProxies(t, ""); len(p) != 0 {
		t.Errorf("empty list = %v", p)
	}
}

func TestClientAddrInTheContext(t *testing.T) {
	t.Parallel()
	proxies := mustProxies(t, "192.0.2.0/24")
	inproc := func(md metadata.MD) context.Context {
		return metadata.NewIncomingContext(peer.NewContext(context.Background(), &peer.Peer{Addr: bufAddr{}}), md)
	}
	tests := []struct {
		name string
		ctx  context.Context
		want string
	}{
		{"gRPC peer", peerCtx("198.51.100.7:41000"), "198.51.100.7"},
		{"gRPC peer ignores forwarded metadata", metadata.NewIncomingContext(peerCtx("198.51.100.7:41000"),
			metadata.Pairs("x-forwarded-for", "203.0.113.9")), "198.51.100.7"},
		{"gRPC through a trusted proxy", metadata.NewIncomingContext(peerCtx("192.0.2.7:41000"),
			metadata.Pairs("x-forwarded-for", "203.0.113.9")), "203.0.113.9"},
		{"gateway: what the HTTP front resolved", inproc(metadata.Pairs(clientAddrMD, "198.51.100.4", "x-forwarded-for", "10.9.9.9")), "198.51.100.4"},
	}
	for _, tt := range tests {
		if got := ClientAddr(proxies.withClientAddr(tt.ctx)); got != tt.want {
			t.Errorf("%s: ClientAddr = %q, want %q", tt.name, got, tt.want)
		}
	}
}
