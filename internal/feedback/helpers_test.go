package feedback

import (
	"slices"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// codeOf is the gRPC code of err (OK for nil).
func codeOf(err error) codes.Code { return status.Code(err) }

// badFields lists the fields named by an INVALID_ARGUMENT error.
func badFields(err error) []string {
	st, ok := status.FromError(err)
	if !ok {
		return nil
	}
	var out []string
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, fv := range br.GetFieldViolations() {
				out = append(out, fv.GetField())
			}
		}
	}
	return out
}

// wantInvalid fails unless err is INVALID_ARGUMENT naming every field.
func wantInvalid(t *testing.T, err error, fields ...string) {
	t.Helper()
	if codeOf(err) != codes.InvalidArgument {
		t.Fatalf("error = %v, want INVALID_ARGUMENT", err)
	}
	got := badFields(err)
	for _, f := range fields {
		if !slices.Contains(got, f) {
			t.Errorf("violations %v do not name %q", got, f)
		}
	}
}

// wantCode fails unless err has code c.
func wantCode(t *testing.T, err error, c codes.Code) {
	t.Helper()
	if codeOf(err) != c {
		t.Fatalf("error = %v, want %s", err, c)
	}
}
