package feedback_test

import (
	"context"
	"crypto/sha256"
	"net/http"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

func TestRatingsPostedOverHTTPWithoutKeyAndOverGRPC(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := newWorld(t, s)

		// The public form: no key.
		resp := s.DoKey(t, "", http.MethodGet, "/v1/feedback/targets/"+w.staff+"/form", nil)
		if resp.Status != http.StatusOK {
			t.Fatalf("form: %d %s", resp.Status, resp.Body)
		}
		form := resp.JSON(t)
		if form["targetName"] != "王师傅" || len(form["levels"].([]any)) != 5 ||
			!strings.Contains(string(resp.Body), "非常满意") || !strings.Contains(string(resp.Body), "服务态度") {
			t.Fatalf("form = %s", resp.Body)
		}

		resp = s.DoKey(t, "", http.MethodPost, "/v1/feedback/ratings", map[string]any{
			"target_id": w.staff, "level": 5, "channel": "CHANNEL_QR",
			"dimensions": []map[string]any{{"key": "attitude", "level": 5}}, "tags": []string{"态度热情"},
			"comment": "饭菜可口",
		})
		if resp.Status != http.StatusOK {
			t.Fatalf("anonymous HTTP rating: %d %s", resp.Status, resp.Body)
		}
		if id, _ := resp.JSON(t)["ratingId"].(string); id == "" {
			t.Fatalf("no rating id in %s", resp.Body)
		}

		// gRPC, anonymous and with a kiosk key.
		for _, ctx := range []context.Context{context.Background(), s.Ctx(auth.Kiosk)} {
			r, err := w.ratings.SubmitRating(ctx, &feedbackv1.SubmitRatingRequest{TargetId: w.w1, Level: 4})
			if err != nil || r.GetRatingId() == "" || r.GetCaseId() != "" {
				t.Fatalf("gRPC rating: %v, %v", r, err)
			}
		}
		if n := testserver.Count(t, s.DB, "feedback_ratings"); n != 3 {
			t.Fatalf("%d ratings stored, want 3", n)
		}

		// A bad review opens a case and says when it is due.
		r, err := w.ratings.SubmitRating(context.Background(), &feedbackv1.SubmitRatingRequest{TargetId: w.w2, Level: 2})
		if err != nil || r.GetCaseId() == "" || r.GetCaseDueTime() == nil {
			t.Fatalf("bad review: %v, %v", r, err)
		}

		// Unknown and deactivated targets.
		_, err = w.ratings.SubmitRating(context.Background(), &feedbackv1.SubmitRatingRequest{TargetId: "nope", Level: 4})
		testserver.WantCode(t, err, codes.NotFound)
		if _, err := w.targets.DeactivateTarget(s.Ctx(auth.Admin), &feedbackv1.DeactivateTargetRequest{Id: w.w1}); err != nil {
			t.Fatal(err)
		}
		// Deactivating the window deactivates the staff member under it.
		_, err = w.ratings.SubmitRating(context.Background(), &feedbackv1.SubmitRatingRequest{TargetId: w.staff, Level: 4})
		testserver.WantCode(t, err, codes.FailedPrecondition)
	})
}

func TestRetriedRequestIDLeavesOneRating(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := newWorld(t, s)
		req := &feedbackv1.SubmitRatingRequest{TargetId: w.w1, Level: 1, Comment: "排队太久", RequestId: "form-7f3a"}
		first, err := w.ratings.SubmitRating(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		again, err := w.ratings.SubmitRating(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		if again.GetRatingId() != first.GetRatingId() || again.GetCaseId() != first.GetCaseId() {
			t.Fatalf("retry answered %v, first was %v", again, first)
		}
		// The same id over HTTP (same anonymous scope) is the same call.
		resp := s.DoKey(t, "", http.MethodPost, "/v1/feedback/ratings",
			map[string]any{"target_id": w.w1, "level": 1, "comment": "排队太久", "request_id": "form-7f3a"})
		if resp.Status != http.StatusOK || resp.JSON(t)["ratingId"] != first.GetRatingId() {
			t.Fatalf("HTTP retry: %d %s", resp.Status, resp.Body)
		}
		for table, want := range map[string]int{"feedback_ratings": 1, "feedback_cases": 1, "feedback_case_events": 1} {
			if n := testserver.Count(t, s.DB, table); n != want {
				t.Errorf("%s has %d rows, want %d", table, n, want)
			}
		}
		// The same id with other content is refused and writes nothing.
		req.Level = 5
		_, err = w.ratings.SubmitRating(context.Background(), req)
		testserver.WantCode(t, err, codes.FailedPrecondition)
		if n := testserver.Count(t, s.DB, "feedback_ratings"); n != 1 {
			t.Fatalf("%d ratings after a conflicting retry, want 1", n)
		}
	})
}

func TestContactIsEncryptedAndShownOnlyToOwnerAndAdmin(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := newWorld(t, s)
		const phone = "13912345678"
		resp := s.DoKey(t, "", http.MethodPost, "/v1/feedback/ratings",
			map[string]any{"target_id": w.w2, "level": 1, "comment": "面条是凉的", "contact": phone})
		if resp.Status != http.StatusOK {
			t.Fatalf("rating with contact: %d %s", resp.Status, resp.Body)
		}
		caseID := resp.JSON(t)["caseId"].(string)

		var stored []byte
		if err := s.DB.R.GetContext(context.Background(), &stored, "SELECT contact FROM feedback_ratings"); err != nil {
			t.Fatal(err)
		}
		if len(stored) == 0 || strings.Contains(string(stored), phone) {
			t.Fatalf("contact stored as %q", stored)
		}

		get := func(ctx context.Context) (*feedbackv1.Case, error) {
			r, err := w.cases.GetCase(ctx, &feedbackv1.GetCaseRequest{Id: caseID})
			return r.GetCase(), err
		}
		for name, ctx := range map[string]context.Context{
			"admin": s.Ctx(auth.Admin), "canteen officer": testserver.KeyCtx(w.canteenOfficer),
		} {
			c, err := get(ctx)
			if err != nil || c.GetContact() != phone {
				t.Errorf("%s sees contact %q (%v), want %s", name, c.GetContact(), err, phone)
			}
		}
		c, err := get(s.Ctx(auth.Analyst))
		if err != nil || c.GetContact() != "" || c.GetComment() != "面条是凉的" {
			t.Errorf("analyst sees case %v (%v); want the case without contact", c, err)
		}
		for role, want := range map[auth.Role]string{auth.Analyst: "", auth.Admin: phone} {
			list, err := w.cases.ListCases(s.Ctx(role), &feedbackv1.ListCasesRequest{})
			if err != nil || len(list.GetCases()) != 1 || list.GetCases()[0].GetContact() != want {
				t.Errorf("%s lists %v (%v); want contact %q", role, list, err, want)
			}
		}
		resp = s.Do(t, auth.Analyst, http.MethodGet, "/v1/feedback/cases/"+caseID, nil)
		if resp.Status != http.StatusOK || strings.Contains(string(resp.Body), phone) {
			t.Errorf("analyst over HTTP: %d %s", resp.Status, resp.Body)
		}
		// Another department's officer: not found, so existence does not leak.
		_, err = get(testserver.KeyCtx(w.meetingOfficer))
		testserver.WantCode(t, err, codes.NotFound)
		list, err := w.cases.ListCases(testserver.KeyCtx(w.meetingOfficer), &feedbackv1.ListCasesRequest{})
		if err != nil || len(list.GetCases()) != 0 {
			t.Fatalf("meeting officer lists %v, %v", list, err)
		}
		_, err = w.cases.AcknowledgeCase(testserver.KeyCtx(w.meetingOfficer), &feedbackv1.AcknowledgeCaseRequest{Id: caseID, Note: "x"})
		testserver.WantCode(t, err, codes.NotFound)
		// The idempotency record keeps a hash of the request; it must not be
		// a plain hash over the contact, which could be brute-forced.
		req := &feedbackv1.SubmitRatingRequest{TargetId: w.w1, Level: 4, Contact: phone, RequestId: "with-contact"}
		first, err := w.ratings.SubmitRating(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		again, err := w.ratings.SubmitRating(context.Background(), req)
		if err != nil || again.GetRatingId() != first.GetRatingId() {
			t.Fatalf("retry with contact: %v, %v", again, err)
		}
		other := proto.CloneOf(req)
		other.Contact = "13900000000"
		_, err = w.ratings.SubmitRating(context.Background(), other)
		testserver.WantCode(t, err, codes.FailedPrecondition)
		raw, _ := proto.MarshalOptions{Deterministic: true}.Marshal(req)
		plain := sha256.Sum256(raw)
		var hash []byte
		if err := s.DB.R.GetContext(context.Background(), &hash,
			s.DB.R.Rebind(`SELECT payload_hash FROM request_ids WHERE request_id = ?`), "with-contact"); err != nil {
			t.Fatal(err)
		}
		if string(hash) == string(plain[:]) {
			t.Error("the idempotency record hashes the contact in clear")
		}

		// An officer key without a department sees nothing.
		unscoped := s.NewKey(t, auth.Officer, "")
		_, err = w.cases.ListCases(testserver.KeyCtx(unscoped), &feedbackv1.ListCasesRequest{})
		testserver.WantCode(t, err, codes.PermissionDenied)
	}, withSecret)
}

func TestContactRefusedWithoutSecretKey(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := newWorld(t, s)
		before := rowCounts(t, s.DB)
		_, err := w.ratings.SubmitRating(context.Background(),
			&feedbackv1.SubmitRatingRequest{TargetId: w.w1, Level: 1, Contact: "13912345678"})
		testserver.WantCode(t, err, codes.FailedPrecondition)
		if apierr.ReasonOf(err) != apierr.NoSecretKey {
			t.Errorf("error %v does not say what is missing", err)
		}
		resp := s.DoKey(t, "", http.MethodPost, "/v1/feedback/ratings",
			map[string]any{"target_id": w.w1, "level": 1, "contact": "13912345678"})
		if resp.Status != http.StatusBadRequest {
			t.Errorf("HTTP status %d, want 400 for FAILED_PRECONDITION", resp.Status)
		}
		if after := rowCounts(t, s.DB); !equalCounts(before, after) {
			t.Fatalf("refused rating wrote rows: %v → %v", before, after)
		}
		// Without a contact it goes through.
		if _, err := w.ratings.SubmitRating(context.Background(),
			&feedbackv1.SubmitRatingRequest{TargetId: w.w1, Level: 1}); err != nil {
			t.Fatal(err)
		}
	})
}

func equalCounts(a, b map[string]int) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}
