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

func TestClientAddr(t *testing.T) {
	t.Parallel()
	forwarded := func(vals ...string) context.Context {
		ctx := peer.NewContext(context.Background(), &peer.Peer{Addr: bufAddr{}})
		md := metadata.MD{}
		for _, v := range vals {
			md.Append("x-forwarded-for", v)
		}
		return metadata.NewIncomingContext(ctx, md)
	}
	tests := []struct {
		name string
		ctx  context.Context
		want string
	}{
		{"gRPC peer", peerCtx("192.0.2.7:41000"), "192.0.2.7"},
		{"gRPC peer ignores forwarded metadata", metadata.NewIncomingContext(peerCtx("192.0.2.7:41000"),
			metadata.Pairs("x-forwarded-for", "203.0.113.9")), "192.0.2.7"},
		{"gateway: the address the gateway saw", forwarded("198.51.100.4"), "198.51.100.4"},
		{"gateway: a client-sent header cannot win", forwarded("203.0.113.9, 198.51.100.4"), "198.51.100.4"},
	}
	for _, tt := range tests {
		if got := ClientAddr(tt.ctx); got != tt.want {
			t.Errorf("%s: ClientAddr = %q, want %q", tt.name, got, tt.want)
		}
	}
}
