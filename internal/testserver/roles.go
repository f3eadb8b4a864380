package testserver

import (
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/rpc"
)

// Roles is every role of the access table, and "" for a caller without a
// key: the callers a role-boundary test tries each method as (s.Keys holds
// a key for each).
var Roles = []auth.Role{auth.Admin, auth.Inspector, auth.Analyst, auth.Kiosk, auth.Officer, ""}

// WantAccess checks the access decision behind err, the result of calling
// method as role. An allowed call may still fail on its input, but not with
// PERMISSION_DENIED or UNAUTHENTICATED; a refused one is UNAUTHENTICATED
// without a key and PERMISSION_DENIED with one.
func WantAccess(t testing.TB, method string, role auth.Role, allowed bool, err error) {
	t.Helper()
	code := status.Code(err)
	denied := code == codes.PermissionDenied || code == codes.Unauthenticated
	switch {
	case allowed && denied:
		t.Errorf("%s as %q: denied (%v), want allowed", method, role, err)
	case !allowed && role == "" && code != codes.Unauthenticated:
		t.Errorf("%s anonymously: %v, want UNAUTHENTICATED", method, err)
	case !allowed && role != "" && code != codes.PermissionDenied:
		t.Errorf("%s as %q: %v, want PERMISSION_DENIED", method, role, err)
	}
}

// WantRulesCovered checks that the methods of services whose full name
// starts with prefix and that have an access rule are exactly the covered
// ones, so a new RPC cannot go without a role case.
func WantRulesCovered(t testing.TB, services []rpc.Service, prefix string, covered map[string]bool) {
	t.Helper()
	n := 0
	for _, s := range services {
		for m := range s.Policy {
			if !strings.HasPrefix(m, prefix) {
				continue
			}
			n++
			if !covered[m] {
				t.Errorf("%s has an access rule but no role case", m)
			}
		}
	}
	if n != len(covered) {
		t.Errorf("%d methods have rules, %d have role cases", n, len(covered))
	}
}
