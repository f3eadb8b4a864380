package civindex

import (
	"math"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
)

// violations returns field → description of v's violations.
func violations(v *apierr.Violations) map[string]string {
	return fieldsOf(v.Err())
}

// fieldsOf returns field → description of a BadRequest detail in err.
func fieldsOf(err error) map[string]string {
	out := map[string]string{}
	for _, d := range status.Convert(err).Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, fv := range br.GetFieldViolations() {
				out[fv.GetField()] += fv.GetDescription() + "; "
			}
		}
	}
	return out
}

// wantFields fails unless got names exactly the fields in want, each
// description containing the given text.
func wantFields(t *testing.T, got map[string]string, want map[string]string) {
	t.Helper()
	for f, text := range want {
		d, ok := got[f]
		if !ok {
			t.Errorf("no violation for %q; got %v", f, got)
			continue
		}
		if !strings.Contains(d, text) {
			t.Errorf("violation %q = %q, want it to mention %q", f, d, text)
		}
	}
	for f := range got {
		if _, ok := want[f]; !ok {
			t.Errorf("unexpected violation %q: %s", f, got[f])
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// serviceOver builds the service over db with the system clock, as the
// server does.
func serviceOver(t testing.TB, db *store.DB) *Service {
	t.Helper()
	s, err := New(rpc.Deps{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
