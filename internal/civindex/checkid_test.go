package civindex

import (
	"strings"
	"testing"
)

func TestCheckIDRejectsAMissingOrOverlongID(t *testing.T) {
	t.Parallel()
	if err := checkID("id", "r1"); err != nil {
		t.Errorf("checkID(r1) = %v, want nil", err)
	}
	wantFields(t, fieldsOf(checkID("id", " ")), map[string]string{"id": "is required"})
	wantFields(t, fieldsOf(checkID("id", strings.Repeat("x", 65))), map[string]string{"id": "the limit is 64"})
}
