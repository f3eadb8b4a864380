package auth

import (
	"context"
	"errors"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/wenming/wenming/internal/apierr"
)

// Resolver turns a bearer secret into a principal.
type Resolver interface {
	Resolve(ctx context.Context, secret string) (Principal, error)
}

// Guard checks every call against a policy.
type Guard struct {
	policy   Policy
	resolver Resolver
}

// NewGuard returns a guard for policy, resolving keys with r.
func NewGuard(policy Policy, r Resolver) *Guard { return &Guard{policy: policy, resolver: r} }

// Authorize resolves the caller of method and checks the policy. It returns
// the context carrying the principal.
func (g *Guard) Authorize(ctx context.Context, method string) (context.Context, error) {
	rule, ok := g.policy[method]
	if !ok {
		return nil, apierr.PermissionDenied(apierr.MethodClosed, "method %s is not open to any role", method)
	}
	p, err := g.principal(ctx)
	if err != nil {
		return nil, err
	}
	if !rule.Permits(p) {
		if p.Anonymous() {
			return nil, apierr.Unauthenticated(apierr.APIKeyMissing, "%s needs an API key: send \"authorization: Bearer <key>\"", method)
		}
		return nil, apierr.PermissionDenied(apierr.RoleForbidden, "role %s may not call %s", p.Role, method)
	}
	return WithPrincipal(ctx, p), nil
}

func (g *Guard) principal(ctx context.Context) (Principal, error) {
	vals := metadata.ValueFromIncomingContext(ctx, "authorization")
	if len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
		return Principal{}, nil
	}
	scheme, secret, ok := strings.Cut(strings.TrimSpace(vals[0]), " ")
	if !ok || !strings.EqualFold(scheme, "bearer") || strings.TrimSpace(secret) == "" {
		return Principal{}, apierr.Unauthenticated(apierr.APIKeyMalformed, "malformed authorization header: want \"Bearer <key>\"")
	}
	p, err := g.resolver.Resolve(ctx, strings.TrimSpace(secret))
	if errors.Is(err, ErrKeyNotFound) && strings.HasPrefix(strings.TrimSpace(secret), SessionPrefix) {
		return Principal{}, apierr.Unauthenticated(apierr.SessionEnded, "the session has ended (signed out, idle too long, or its key was revoked); sign in again")
	}
	if errors.Is(err, ErrKeyNotFound) {
		return Principal{}, apierr.Unauthenticated(apierr.APIKeyUnknown, "unknown or revoked API key")
	}
	if err != nil {
		return Principal{}, err
	}
	return p, nil
}

// Unary is the unary server interceptor.
func (g *Guard) Unary(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
	ctx, err := g.Authorize(ctx, info.FullMethod)
	if err != nil {
		return nil, err
	}
	return next(ctx, req)
}

// Stream is the stream server interceptor.
func (g *Guard) Stream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
	ctx, err := g.Authorize(ss.Context(), info.FullMethod)
	if err != nil {
		return err
	}
	return next(srv, &wrappedStream{ServerStream: ss, ctx: ctx})
}

type wrappedStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (w *wrappedStream) Context() context.Context { return w.ctx }
