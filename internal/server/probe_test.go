package server

import (
	"context"
	"errors"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/rpc"
)

// probe is a hand-written gRPC service for exercising the interceptor
// chain: Panic panics, Fail returns an error carrying internal detail,
// Block waits until release is closed, Public answers anyone, Stall
// waits for its context to end.
type probe struct {
	release chan struct{}
	entered chan struct{}
}

const probeService = "wenming.test.Probe"

func (p *probe) service() rpc.Service {
	unary := func(name string, fn func(context.Context) error) grpc.MethodDesc {
		return grpc.MethodDesc{
			MethodName: name,
			Handler: func(_ any, ctx context.Context, dec func(any) error, ic grpc.UnaryServerInterceptor) (any, error) {
				in := new(emptypb.Empty)
				if err := dec(in); err != nil {
					return nil, err
				}
				h := func(ctx context.Context, _ any) (any, error) { return &emptypb.Empty{}, fn(ctx) }
				if ic == nil {
					return h(ctx, in)
				}
				return ic(ctx, in, &grpc.UnaryServerInfo{FullMethod: "/" + probeService + "/" + name}, h)
			},
		}
	}
	desc := &grpc.ServiceDesc{
		ServiceName: probeService,
		HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{
			unary("Panic", func(context.Context) error { panic("probe exploded") }),
			unary("Fail", func(context.Context) error {
				return errors.New(`pq: relation "secret_table" does not exist`)
			}),
			unary("Block", func(context.Context) error {
				close(p.entered)
				<-p.release
				return nil
			}),
			unary("Public", func(context.Context) error { return nil }),
			unary("Stall", func(ctx context.Context) error {
				<-ctx.Done() // a database that never answers
				return ctx.Err()
			}),
		},
	}
	m := func(name string) string { return "/" + probeService + "/" + name }
	return rpc.Service{
		Register: func(s grpc.ServiceRegistrar) { s.RegisterService(desc, p) },
		Policy: auth.Policy{
			m("Panic"):  auth.Allow(auth.Kiosk),
			m("Fail"):   auth.Allow(auth.Kiosk),
			m("Block"):  auth.Allow(auth.Kiosk),
			m("Public"): auth.Public(auth.Kiosk),
			m("Stall"):  auth.Allow(auth.Kiosk),
		},
	}
}
