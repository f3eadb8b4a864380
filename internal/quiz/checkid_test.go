package quiz

import (
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestCheckIDRejectsAMissingOrOverlongID(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, id string
		want     codes.Code
	}{
		{"present", "a1", codes.OK},
		{"blank", " ", codes.InvalidArgument},
		{"too long", strings.Repeat("x", 65), codes.InvalidArgument},
	} {
		err := checkID("attempt_id", tc.id)
		if got := status.Code(err); got != tc.want {
			t.Errorf("%s: code %v, want %v (%v)", tc.name, got, tc.want, err)
		}
		if err != nil && !strings.Contains(err.Error(), "attempt_id: ") {
			t.Errorf("%s: %q does not name the field", tc.name, err)
		}
	}
}
