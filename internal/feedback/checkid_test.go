package feedback

import (
	"strings"
	"testing"
)

func TestCheckIDRejectsAMissingOrOverlongID(t *testing.T) {
	t.Parallel()
	if err := checkID("target_id", "t1"); err != nil {
		t.Errorf("checkID(t1) = %v, want nil", err)
	}
	wantInvalid(t, checkID("target_id", " "), "target_id")
	wantInvalid(t, checkID("id", strings.Repeat("x", maxIDLen+1)), "id")
}
