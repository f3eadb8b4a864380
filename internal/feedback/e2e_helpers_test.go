package feedback_test

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/feedback"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// testSecret is the server secret of tests that store contacts.
var testSecret = bytes.Repeat([]byte{7}, 32)

func withSecret(d *rpc.Deps) { d.Secret = testSecret }

// clients are the feedback gRPC clients of one server.
type clients struct {
	targets feedbackv1.TargetServiceClient
	ratings feedbackv1.RatingServiceClient
	stats   feedbackv1.FeedbackStatsServiceClient
	cases   feedbackv1.CaseServiceClient
}

func clientsOf(s *testserver.Server) clients {
	return clients{
		targets: feedbackv1.NewTargetServiceClient(s.Conn),
		ratings: feedbackv1.NewRatingServiceClient(s.Conn),
		stats:   feedbackv1.NewFeedbackStatsServiceClient(s.Conn),
		cases:   feedbackv1.NewCaseServiceClient(s.Conn),
	}
}

// world is a small bureau: the canteen with two windows (one with a staff
// member), and meeting services with one window, plus officer keys scoped
// to each department.
type world struct {
	*testserver.Server
	clients
	canteen, w1, w2, staff, meeting, w3 string
	canteenOfficer, meetingOfficer      string
}

func newWorld(t *testing.T, s *testserver.Server) *world {
	t.Helper()
	w := &world{Server: s, clients: clientsOf(s)}
	admin := s.Ctx(auth.Admin)
	create := func(kind feedbackv1.TargetKind, name, parent string) string {
		t.Helper()
		resp, err := w.targets.CreateTarget(admin, &feedbackv1.CreateTargetRequest{Kind: kind, Name: name, ParentId: parent})
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return resp.GetTarget().GetId()
	}
	w.canteen = create(feedbackv1.TargetKind_TARGET_KIND_DEPARTMENT, "机关食堂", "")
	w.w1 = create(feedbackv1.TargetKind_TARGET_KIND_WINDOW, "一楼打饭窗口", w.canteen)
	w.w2 = create(feedbackv1.TargetKind_TARGET_KIND_WINDOW, "二楼面食窗口", w.canteen)
	w.staff = create(feedbackv1.TargetKind_TARGET_KIND_STAFF, "王师傅", w.w1)
	w.meeting = create(feedbackv1.TargetKind_TARGET_KIND_DEPARTMENT, "会议服务", "")
	w.w3 = create(feedbackv1.TargetKind_TARGET_KIND_WINDOW, "会议室预订窗口", w.meeting)
	w.canteenOfficer = s.NewKey(t, auth.Officer, w.canteen)
	w.meetingOfficer = s.NewKey(t, auth.Officer, w.meeting)
	return w
}

// direct returns a domain service over the test server's database with a
// clock the test sets, to script ratings on chosen days.
func direct(t *testing.T, s *testserver.Server, at *time.Time) *feedback.Service {
	t.Helper()
	svc, err := feedback.New(rpc.Deps{DB: s.DB, Location: shanghai, Secret: testSecret,
		Now: func() time.Time { return *at }})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// script submits one rating at the given local time.
func script(t *testing.T, svc *feedback.Service, at *time.Time, when time.Time, target string, level int) feedback.Submitted {
	t.Helper()
	*at = when
	out, err := svc.Rate(context.Background(), feedback.RatingInput{TargetID: target, Level: level})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// rowCounts snapshots every feedback table, to prove a refused call wrote
// nothing.
func rowCounts(t *testing.T, db *store.DB) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"feedback_targets", "feedback_ratings", "feedback_daily", "feedback_daily_dims",
		"feedback_cases", "feedback_case_events", "request_ids"} {
		out[table] = testserver.Count(t, db, table)
	}
	return out
}

func wantInvalid(t *testing.T, err error, fields ...string) {
	t.Helper()
	testserver.WantCode(t, err, codes.InvalidArgument)
	st, _ := status.FromError(err)
	var got []string
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, fv := range br.GetFieldViolations() {
				got = append(got, fv.GetField())
			}
		}
	}
	for _, f := range fields {
		if !slices.Contains(got, f) {
			t.Errorf("violations %v do not name %q", got, f)
		}
	}
}

func storetestDefault(t *testing.T) *store.DB { return storetest.Default(t) }
