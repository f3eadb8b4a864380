package account

import (
	"context"
	"errors"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	accountv1 "github.com/wenming/wenming/gen/go/wenming/account/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/rpc"
)

// SessionIdle ends a session after half an hour without a call (a console
// left open over lunch asks for the key again); SessionMax ends it after a
// working day however busy.
const (
	SessionIdle = 30 * time.Minute
	SessionMax  = 12 * time.Hour
)

// Policy: every role with a key may sign in and ask who it is; anonymous
// callers may not (there is nothing to trade).
var Policy = auth.Policy{
	accountv1.SessionService_CreateSession_FullMethodName: auth.Allow(auth.Roles...),
	accountv1.SessionService_GetCaller_FullMethodName:     auth.Allow(auth.Roles...),
	accountv1.SessionService_DeleteSession_FullMethodName: auth.Allow(auth.Roles...),
}

// Service is the account domain: sessions over the deps' database.
type Service struct {
	sessions *auth.Sessions
}

// Option adjusts the service (none yet; the shape every domain's New has).
type Option func(*Service)

// New builds the account service, the way every domain is built.
func New(d rpc.Deps, opts ...Option) (*Service, error) {
	s := &Service{sessions: auth.NewSessions(d.DB, SessionIdle, SessionMax)}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// Services lists its gRPC services.
func (s *Service) Services() []rpc.Service {
	h := &Handler{sessions: s.sessions}
	return []rpc.Service{{
		Register: func(r grpc.ServiceRegistrar) { accountv1.RegisterSessionServiceServer(r, h) },
		Gateway:  accountv1.RegisterSessionServiceHandler,
		Policy:   Policy,
	}}
}

// Handler implements accountv1.SessionServiceServer.
type Handler struct {
	accountv1.UnimplementedSessionServiceServer
	sessions *auth.Sessions
}

func (h *Handler) CreateSession(ctx context.Context, _ *accountv1.CreateSessionRequest) (*accountv1.CreateSessionResponse, error) {
	p := auth.FromContext(ctx)
	if p.SessionID != "" {
		// A session must not beget sessions, or it would outlive its end.
		return nil, apierr.FailedPrecondition(apierr.SessionNeedsKey, "a session is started with an API key, not with another session's token")
	}
	token, s, err := h.sessions.Create(ctx, p)
	if err != nil {
		return nil, err
	}
	return &accountv1.CreateSessionResponse{Token: token, Session: sessionProto(s), Caller: callerProto(p)}, nil
}

func (h *Handler) GetCaller(ctx context.Context, _ *accountv1.GetCallerRequest) (*accountv1.GetCallerResponse, error) {
	p := auth.FromContext(ctx)
	out := &accountv1.GetCallerResponse{Caller: callerProto(p)}
	if p.SessionID != "" {
		s, err := h.sessions.Get(ctx, p.SessionID)
		if errors.Is(err, auth.ErrKeyNotFound) {
			return nil, apierr.Unauthenticated(apierr.SessionEnded, "the session has ended")
		}
		if err != nil {
			return nil, err
		}
		out.Session = sessionProto(s)
	}
	return out, nil
}

func (h *Handler) DeleteSession(ctx context.Context, _ *accountv1.DeleteSessionRequest) (*accountv1.DeleteSessionResponse, error) {
	p := auth.FromContext(ctx)
	if p.SessionID == "" {
		return nil, apierr.FailedPrecondition(apierr.SessionNeedsKey, "the call was made with an API key, not a session token; revoke a key with `wenming apikey revoke`")
	}
	if err := h.sessions.Delete(ctx, p.SessionID); err != nil {
		return nil, err
	}
	return &accountv1.DeleteSessionResponse{}, nil
}

func callerProto(p auth.Principal) *accountv1.Caller {
	return &accountv1.Caller{KeyId: p.KeyID, Name: p.Name, Role: string(p.Role), Scope: p.Scope}
}

func sessionProto(s auth.Session) *accountv1.Session {
	return &accountv1.Session{
		Id: s.ID, CreateTime: timestamppb.New(s.CreateTime), LastSeenTime: timestamppb.New(s.LastSeenTime),
		IdleTimeoutSeconds: int32(s.Idle / time.Second), ExpireTime: timestamppb.New(s.ExpireTime),
	}
}
