package testserver

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

// Count returns how many rows a table holds: tests compare counts before
// and after a refused call to show it wrote nothing.
func Count(t testing.TB, db *store.DB, table string) int {
	t.Helper()
	var n int
	if err := db.R.GetContext(context.Background(), &n, "SELECT COUNT(*) FROM "+table); err != nil {
		t.Fatal(err)
	}
	return n
}

// WantCode fails the test unless err has the status code c.
func WantCode(t testing.TB, err error, c codes.Code) {
	t.Helper()
	if status.Code(err) != c {
		t.Fatalf("error = %v, want %s", err, c)
	}
}

// WantReason fails the test unless err has the status code c and the
// ErrorInfo reason r.
func WantReason(t testing.TB, err error, c codes.Code, r apierr.Reason) {
	t.Helper()
	got := apierr.Reason("")
	for _, d := range status.Convert(err).Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			got = apierr.Reason(info.GetReason())
		}
	}
	if status.Code(err) != c || got != r {
		t.Fatalf("error = %v (reason %s), want %s %s", err, got, c, r)
	}
}

// BadFields checks that err has the status code want and returns its
// BadRequest violations as field → descriptions (a field named twice has
// its descriptions joined).
func BadFields(t testing.TB, err error, want codes.Code) map[string]string {
	t.Helper()
	WantCode(t, err, want)
	out := map[string]string{}
	for _, d := range status.Convert(err).Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, fv := range br.GetFieldViolations() {
				out[fv.GetField()] += fv.GetDescription()
			}
		}
	}
	return out
}

// Mentions fails the test unless the violation of field (from BadFields)
// contains text.
func Mentions(t testing.TB, got map[string]string, field, text string) {
	t.Helper()
	if !strings.Contains(got[field], text) {
		t.Errorf("violation %q = %q, want it to mention %q (all: %v)", field, got[field], text, got)
	}
}
