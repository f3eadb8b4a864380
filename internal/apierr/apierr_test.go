package apierr

import (
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestViolationsNameEveryField(t *testing.T) {
	t.Parallel()
	var v Violations
	v.Required("stem", "  ")
	v.Text("explanation", "礼貌用语", 3)
	v.RequestID("request_id", string(make([]byte, 65)))
	st := status.Convert(v.Err())
	if st.Code() != codes.InvalidArgument {
		t.Fatalf("code = %v, want InvalidArgument", st.Code())
	}
	var got []string
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, fv := range br.FieldViolations {
				got = append(got, fv.Field+": "+fv.Description)
			}
		}
	}
	want := []string{
		"stem: is required",
		"explanation: is 4 characters long; the limit is 3",
		"request_id: is 65 bytes long; the limit is 64",
	}
	if len(got) != len(want) {
		t.Fatalf("violations = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("violation %d = %q, want %q", i, got[i], want[i])
		}
	}
}

func TestNoViolationsIsNil(t *testing.T) {
	t.Parallel()
	var v Violations
	v.RequiredText("stem", "排队", 10)
	if err := v.Err(); err != nil {
		t.Fatalf("Err() = %v, want nil", err)
	}
}
