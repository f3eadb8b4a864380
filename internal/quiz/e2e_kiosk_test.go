package quiz_test

import (
	"net/http"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
)

// A kiosk's setup screen asks the API what its key is.
func TestGetKioskTellsAKeyItsCommunityAndTheServerClock(t *testing.T) {
	t.Parallel()
	s := testserver.Start(t, storetest.SQLite(t), withSecret)
	play := quizv1.NewPlayServiceClient(s.Conn)
	scoped := s.NewKey(t, auth.Kiosk, "和平社区")
	before := time.Now()
	k, err := play.GetKiosk(testserver.KeyCtx(scoped), &quizv1.GetKioskRequest{})
	after := time.Now()
	if err != nil {
		t.Fatal(err)
	}
	if k.GetKeyName() != "test-kiosk" || k.GetRole() != "kiosk" || k.GetCommunity() != "和平社区" {
		t.Errorf("scoped kiosk key: %v", k)
	}
	if st := k.GetServerTime().AsTime(); st.Before(before.Add(-time.Second)) || st.After(after.Add(time.Second)) {
		t.Errorf("server time %v is not the server's now (%v…%v)", st, before, after)
	}
	k, err = play.GetKiosk(s.Ctx(auth.Kiosk), &quizv1.GetKioskRequest{})
	if err != nil || k.GetCommunity() != "" || k.GetRole() != "kiosk" {
		t.Errorf("unscoped kiosk key: %v %v", k, err)
	}
	// An admin may ask too, and learns it is not a kiosk key.
	k, err = play.GetKiosk(s.Ctx(auth.Admin), &quizv1.GetKioskRequest{})
	if err != nil || k.GetRole() != "admin" || k.GetCommunity() != "" {
		t.Errorf("admin key: %v %v", k, err)
	}
	// Over HTTP, as the kiosk page calls it.
	r := s.DoKey(t, scoped, http.MethodGet, "/v1/kiosk", nil)
	if m := r.JSON(t); r.Status != http.StatusOK || m["community"] != "和平社区" || m["serverTime"] == "" {
		t.Errorf("GET /v1/kiosk = %d %s", r.Status, r.Body)
	}
	if r := s.DoKey(t, "", http.MethodGet, "/v1/kiosk", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("GET /v1/kiosk without a key = %d, want 401", r.Status)
	}
}

// StartAttempt says how many attempts the participant has left, and the
// refusal past the limit carries a reason a kiosk can explain.
func TestStartAttemptCountsAttemptsLeftAndExplainsTheLimit(t *testing.T) {
	t.Parallel()
	s := testserver.Start(t, storetest.SQLite(t), withSecret)
	g := newGame(t, s, false) // one attempt each
	kiosk := s.Ctx(auth.Kiosk)
	req := &quizv1.StartAttemptRequest{ContestId: g.contestID, DisplayName: "王阿姨", Community: "和平社区",
		ParticipantIdentifier: "13800138000", RequestId: "start-1"}
	first, err := g.play.StartAttempt(kiosk, req)
	if err != nil || first.GetAttemptsLeft() != 0 || first.GetAttempt().GetAttemptNumber() != 1 {
		t.Fatalf("first start: %v %v", first, err)
	}
	again, err := g.play.StartAttempt(kiosk, req)
	if err != nil || again.GetAttempt().GetId() != first.GetAttempt().GetId() || again.GetAttemptsLeft() != 0 {
		t.Errorf("retried start: %v %v", again, err)
	}
	req.RequestId = "start-2"
	_, err = g.play.StartAttempt(kiosk, req)
	st, _ := status.FromError(err)
	var info *errdetails.ErrorInfo
	for _, d := range st.Details() {
		if i, ok := d.(*errdetails.ErrorInfo); ok {
			info = i
		}
	}
	if st.Code() != codes.ResourceExhausted || info == nil || info.GetReason() != string(apierr.AttemptLimitReached) ||
		info.GetMetadata()["attempts_allowed"] != "1" {
		t.Errorf("second attempt: %v, info %v", err, info)
	}
	// Over HTTP the reason reaches the page.
	r := s.Do(t, auth.Kiosk, http.MethodPost, "/v1/contests/"+g.contestID+"/attempts", map[string]any{
		"displayName": "王阿姨", "community": "和平社区", "participantIdentifier": "13800138000"})
	if r.Status != http.StatusTooManyRequests {
		t.Fatalf("over HTTP: %d %s", r.Status, r.Body)
	}
	details, _ := r.JSON(t)["details"].([]any)
	if len(details) != 1 || details[0].(map[string]any)["reason"] != string(apierr.AttemptLimitReached) {
		t.Errorf("over HTTP: %s", r.Body)
	}
}

// With three attempts allowed, attempts_left counts down to zero.
func TestAttemptsLeftCountsDown(t *testing.T) {
	t.Parallel()
	s := testserver.Start(t, storetest.SQLite(t), withSecret)
	g := newGame(t, s, false)
	settings := contestSettings([]string{}, false)
	c, err := g.admin.GetContest(s.Ctx(auth.Admin), &quizv1.GetContestRequest{Id: g.contestID})
	if err != nil {
		t.Fatal(err)
	}
	settings.Paper = c.GetContest().GetSettings().GetPaper()
	settings.AttemptsAllowed = 3
	created, err := g.admin.CreateContest(s.Ctx(auth.Admin), &quizv1.CreateContestRequest{Contest: settings})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.admin.PublishContest(s.Ctx(auth.Admin), &quizv1.PublishContestRequest{Id: created.GetContest().GetId()}); err != nil {
		t.Fatal(err)
	}
	g.contestID = created.GetContest().GetId()
	for want := int32(2); want >= 0; want-- {
		if got := g.start(t, s.Ctx(auth.Kiosk), "李大爷", "和平社区", "13900139000").GetAttemptsLeft(); got != want {
			t.Errorf("attempts left %d, want %d", got, want)
		}
	}
}
