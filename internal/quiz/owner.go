package quiz

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/time/rate"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store"
)

// mayReach says whether the caller may play or review an attempt. A kiosk
// key reaches the attempts it started and, when it is scoped to a
// community, every attempt of that community (a hall's kiosks stand in for
// one another); admins and analysts reach every attempt (the access policy
// lets analysts only read). Anyone else must not see a paper's answer key
// or a stranger's answers, so to them the attempt does not exist.
func mayReach(p auth.Principal, a attempt) bool {
	switch p.Role {
	case auth.Admin, auth.Analyst:
		return true
	case auth.Kiosk:
		return (a.KeyID != "" && a.KeyID == p.KeyID) || (p.Scope != "" && p.Scope == a.Community)
	}
	return false
}

// reachable loads the attempt and refuses one the caller may not reach
// with NOT_FOUND, as if it did not exist.
func reachable(ctx context.Context, db store.Queryer, id string) (attempt, error) {
	a, err := getAttempt(ctx, db, id)
	if errors.Is(err, errNotFound) || (err == nil && !mayReach(auth.FromContext(ctx), a)) {
		return attempt{}, apierr.NotFound("attempt", id)
	}
	return a, err
}

type reachKey struct{}

// onlyReachable marks a call's context so that Play.Answer and Play.Submit
// refuse an attempt its caller may not reach (mayReach), checked on the
// row they read anyway rather than with a read of their own.
func onlyReachable(ctx context.Context) context.Context {
	return context.WithValue(ctx, reachKey{}, auth.FromContext(ctx))
}

func reachableIn(ctx context.Context, a attempt) bool {
	p, marked := ctx.Value(reachKey{}).(auth.Principal)
	return !marked || mayReach(p, a)
}

// rankLimiter bounds GetMyRank by participant identifier per API key: it
// answers with a person's name, community and score, so a kiosk key must
// not be able to run a phone book through it.
type rankLimiter struct {
	every time.Duration
	burst int

	mu   sync.Mutex
	keys map[string]*rate.Limiter
}

// myRankEvery and myRankBurst: a kiosk looks a resident up now and then,
// not thousands of times a minute.
const (
	myRankEvery = 6 * time.Second
	myRankBurst = 10
)

func newRankLimiter() *rankLimiter {
	return &rankLimiter{every: myRankEvery, burst: myRankBurst, keys: map[string]*rate.Limiter{}}
}

// allow reports nil or RESOURCE_EXHAUSTED with a retry hint. Keys are few
// (one per kiosk), so their limiters are kept for the process's life.
func (l *rankLimiter) allow(keyID string) error {
	l.mu.Lock()
	lim, ok := l.keys[keyID]
	if !ok {
		lim = rate.NewLimiter(rate.Every(l.every), l.burst)
		l.keys[keyID] = lim
	}
	allowed := lim.Allow()
	l.mu.Unlock()
	if allowed {
		return nil
	}
	st := status.New(codes.ResourceExhausted, "too many rank look-ups by participant from this key; retry later")
	if d, err := st.WithDetails(&errdetails.RetryInfo{RetryDelay: durationpb.New(l.every)}); err == nil {
		st = d
	}
	return st.Err()
}
