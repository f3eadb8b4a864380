package quiz

import (
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
)

func TestCheckIDRejectsAMissingOrOverlongID(t *testing.T) {
	t.Parallel()
	if err := checkID("attempt_id", "a1"); err != nil {
		t.Errorf("checkID(a1) = %v, want nil", err)
	}
	wantCode(t, checkID("attempt_id", " "), codes.InvalidArgument, "attempt_id: is required")
	wantCode(t, checkID("attempt_id", strings.Repeat("x", maxIDLen+1)), codes.InvalidArgument, "attempt_id: is 65 characters long")
}
