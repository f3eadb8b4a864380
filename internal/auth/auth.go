// Package auth owns API keys and roles: creating, listing and revoking keys
// (stored only as SHA-256 hashes), resolving a bearer key to a Principal,
// and the interceptor that checks every RPC against a per-method policy.
// A method missing from the policy is denied, so a new RPC cannot be
// reachable by accident.
package auth

import (
	"context"
	"fmt"
	"slices"
)

// Role is what an API key may do; see the role table in DESIGN.md.
type Role string

const (
	Admin     Role = "admin"
	Kiosk     Role = "kiosk"
	Inspector Role = "inspector"
	Officer   Role = "officer"
	Analyst   Role = "analyst"
)

// Roles lists every role, in the order help texts show them.
var Roles = []Role{Admin, Kiosk, Inspector, Officer, Analyst}

// ParseRole checks that s names a role.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if slices.Contains(Roles, r) {
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q (want one of admin, kiosk, inspector, officer, analyst)", s)
}

// Principal is the caller of an RPC. The zero value is an anonymous caller.
type Principal struct {
	KeyID string
	Name  string
	Role  Role
	// Scope narrows a key: an officer's department id, a kiosk's community.
	Scope string
	// SessionID is set when the call carried a session token rather than
	// the key itself (see Sessions).
	SessionID string
}

// Anonymous reports whether the caller presented no key.
func (p Principal) Anonymous() bool { return p.KeyID == "" }

// ID is a stable string for the caller, "" when anonymous; used to scope
// idempotency keys and in logs.
func (p Principal) ID() string { return p.KeyID }

type ctxKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the caller of the current RPC (anonymous if none).
func FromContext(ctx context.Context) Principal {
	p, _ := ctx.Value(ctxKey{}).(Principal)
	return p
}

// Rule says who may call one method. Admin may call everything that has a
// rule at all.
type Rule struct {
	Roles []Role
	// Public methods may also be called without a key.
	Public bool
	// Everyone lets any caller in, keyed or not.
	Everyone bool
}

// Allow is a rule for the given roles (and admin).
func Allow(roles ...Role) Rule { return Rule{Roles: roles} }

// Public is a rule that also lets anonymous callers in.
func Public(roles ...Role) Rule { return Rule{Roles: roles, Public: true} }

// Anyone is a rule for infrastructure (health checks, reflection) that
// every caller may use, with or without a key of any role.
func Anyone() Rule { return Rule{Public: true, Everyone: true} }

// AdminOnly is a rule for admin alone.
func AdminOnly() Rule { return Rule{} }

// Permits reports whether p may call a method with this rule.
func (r Rule) Permits(p Principal) bool {
	if r.Everyone {
		return true
	}
	if p.Anonymous() {
		return r.Public
	}
	return p.Role == Admin || slices.Contains(r.Roles, p.Role)
}

// Policy maps full gRPC method names ("/pkg.Service/Method") to rules.
type Policy map[string]Rule

// Merge adds every rule of other, failing on a method given twice.
func (p Policy) Merge(other Policy) error {
	for m, r := range other {
		if _, dup := p[m]; dup {
			return fmt.Errorf("auth: method %s has two rules", m)
		}
		p[m] = r
	}
	return nil
}
