package apierr

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
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

func TestARefusalCarriesItsReasonThroughItsStatus(t *testing.T) {
	t.Parallel()
	var v Violations
	v.Add("draws[0].count", "needs 2 active questions")
	for _, tc := range []struct {
		err    error
		code   codes.Code
		reason Reason
		fields int
	}{
		{NotFound("contest", "c1"), codes.NotFound, ResourceNotFound, 0},
		{FailedPrecondition(CaseStateForbids, "case %s is closed", "c1"), codes.FailedPrecondition, CaseStateForbids, 0},
		{v.Err(), codes.InvalidArgument, InvalidArgument, 1},
		{v.Refuse(codes.FailedPrecondition, FrameworkNotPublishable, "x: "), codes.FailedPrecondition, FrameworkNotPublishable, 1},
	} {
		st := status.Convert(tc.err)
		fields := 0
		for _, d := range st.Details() {
			if br, ok := d.(*errdetails.BadRequest); ok {
				fields += len(br.GetFieldViolations())
			}
		}
		if st.Code() != tc.code || ReasonOf(st.Err()) != tc.reason || ReasonOf(tc.err) != tc.reason || fields != tc.fields {
			t.Errorf("%v: status %v reason %q, %d fields; want %v %q, %d", tc.err, st.Code(), ReasonOf(st.Err()), fields, tc.code, tc.reason, tc.fields)
		}
	}
	if ReasonOf(errors.New("plain")) != "" || IsRefusal(errors.New("plain")) {
		t.Error("a plain error has a reason")
	}
}

func TestRepliesAreBoundedAndNeverEchoLongValues(t *testing.T) {
	t.Parallel()
	var v Violations
	long := strings.Repeat("值", 600_000/3)
	for i := range 10_000 {
		v.Add(fmt.Sprintf("options[%d].key", i), "duplicate key %q", long)
	}
	if v.Len() != 10_000 {
		t.Errorf("Len = %d, want every violation counted", v.Len())
	}
	st := status.Convert(v.Err())
	var fvs []*errdetails.BadRequest_FieldViolation
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			fvs = br.FieldViolations
		}
	}
	if len(fvs) != MaxReported+1 {
		t.Fatalf("%d violations in the reply, want %d and a count", len(fvs), MaxReported)
	}
	if last := fvs[MaxReported].Description; !strings.Contains(last, "9980 more") {
		t.Errorf("last entry %q does not count the rest", last)
	}
	if !strings.Contains(st.Message(), "and 9980 more not listed") {
		t.Errorf("message does not count the rest: %.200s", st.Message())
	}
	if size := len(st.Message()) + proto.Size(st.Proto()); size > 16<<10 {
		t.Errorf("reply is %d bytes", size)
	}
	if want := `"` + strings.Repeat("值", 64) + `…"`; !strings.Contains(fvs[0].Description, want) {
		t.Errorf("long value not cut to 64 characters: %.300s", fvs[0].Description)
	}
}
