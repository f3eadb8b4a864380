package quiz_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/quiz"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/testserver"
)

func redLight() *quizv1.QuestionContent {
	return &quizv1.QuestionContent{
		Category: "交通出行",
		Type:     quizv1.QuestionType_QUESTION_TYPE_SINGLE_CHOICE,
		Stem:     "行人过马路遇到红灯时应当？",
		Options: []*quizv1.Option{
			{Key: "A", Text: "停在人行横道线外等候"},
			{Key: "B", Text: "看没车就快速通过"},
		},
		CorrectKeys: []string{"A"},
		Explanation: "红灯停、绿灯行。",
		Difficulty:  quizv1.Difficulty_DIFFICULTY_EASY,
	}
}

func questionCount(t *testing.T, db *store.DB) int {
	t.Helper()
	var n int
	if err := db.R.Get(&n, `SELECT COUNT(*) FROM question_versions`); err != nil {
		t.Fatal(err)
	}
	return n
}

// badFields returns the fields named in an error's BadRequest detail.
func badFields(err error) []string {
	var out []string
	for _, d := range status.Convert(err).Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, fv := range br.GetFieldViolations() {
				out = append(out, fv.GetField())
			}
		}
	}
	return out
}

func TestCreateAndGetQuestionOverGRPCAndHTTP(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		client := quizv1.NewQuestionServiceClient(s.Conn)
		created, err := client.CreateQuestion(s.Ctx(auth.Admin), &quizv1.CreateQuestionRequest{Question: redLight()})
		if err != nil {
			t.Fatal(err)
		}
		q := created.GetQuestion()
		if q.GetId() == "" || q.GetVersion() != 1 || q.GetState() != quizv1.QuestionState_QUESTION_STATE_ACTIVE {
			t.Fatalf("created question = %v", q)
		}

		resp := s.Do(t, auth.Admin, http.MethodPost, "/v1/questions", map[string]any{
			"question": map[string]any{
				"category": "公共秩序", "type": "QUESTION_TYPE_TRUE_FALSE",
				"stem": "乘坐自动扶梯时应靠右站立。", "correctKeys": []string{"A"},
			},
		})
		if resp.Status != http.StatusOK {
			t.Fatalf("POST /v1/questions = %d %s", resp.Status, resp.Body)
		}
		httpQ := resp.JSON(t)["question"].(map[string]any)
		opts := httpQ["options"].([]any)
		if len(opts) != 2 || opts[0].(map[string]any)["text"] != "正确" {
			t.Errorf("TRUE_FALSE default options = %v, want 正确/错误", opts)
		}

		got, err := client.GetQuestion(s.Ctx(auth.Analyst), &quizv1.GetQuestionRequest{Id: httpQ["id"].(string)})
		if err != nil {
			t.Fatal(err)
		}
		if got.GetQuestion().GetStem() != "乘坐自动扶梯时应靠右站立。" {
			t.Errorf("GetQuestion stem = %q", got.GetQuestion().GetStem())
		}
		r := s.Do(t, auth.Analyst, http.MethodGet, "/v1/questions/"+q.GetId(), nil)
		if r.Status != http.StatusOK || !strings.Contains(string(r.Body), "停在人行横道线外等候") {
			t.Errorf("GET question over HTTP = %d %s", r.Status, r.Body)
		}
		if r := s.Do(t, auth.Analyst, http.MethodGet, "/v1/questions/no-such-id", nil); r.Status != http.StatusNotFound {
			t.Errorf("GET unknown question = %d, want 404", r.Status)
		}
	})
}

func TestCreateQuestionRejectsBadInputAndWritesNothing(t *testing.T) {
	t.Parallel()
	s := testserver.Start(t, storetestDB(t))
	client := quizv1.NewQuestionServiceClient(s.Conn)
	edit := func(f func(c *quizv1.QuestionContent)) *quizv1.QuestionContent {
		c := redLight()
		f(c)
		return c
	}
	tests := []struct {
		name       string
		content    *quizv1.QuestionContent
		wantFields []string
	}{
		{"no question at all", nil, []string{"question"}},
		{"no stem", edit(func(c *quizv1.QuestionContent) { c.Stem = " " }), []string{"question.stem"}},
		{"one option", edit(func(c *quizv1.QuestionContent) { c.Options = c.Options[:1] }), []string{"question.options"}},
		{"correct key not among options", edit(func(c *quizv1.QuestionContent) { c.CorrectKeys = []string{"C"} }),
			[]string{"question.correct_keys[0]"}},
		{"unknown type", edit(func(c *quizv1.QuestionContent) { c.Type = 42 }), []string{"question.type"}},
		{"no type", edit(func(c *quizv1.QuestionContent) { c.Type = 0 }), []string{"question.type"}},
		{"oversized stem", edit(func(c *quizv1.QuestionContent) { c.Stem = strings.Repeat("礼", quiz.MaxStemLen+1) }),
			[]string{"question.stem"}},
		{"single choice with two answers", edit(func(c *quizv1.QuestionContent) { c.CorrectKeys = []string{"A", "B"} }),
			[]string{"question.correct_keys"}},
		{"duplicate option keys", edit(func(c *quizv1.QuestionContent) { c.Options[1].Key = "A" }),
			[]string{"question.options[1].key"}},
		{"several problems at once", edit(func(c *quizv1.QuestionContent) { c.Stem = ""; c.Category = ""; c.CorrectKeys = nil }),
			[]string{"question.category", "question.stem", "question.correct_keys"}},
	}
	for _, tt := range tests {
		_, err := client.CreateQuestion(s.Ctx(auth.Admin), &quizv1.CreateQuestionRequest{Question: tt.content})
		if status.Code(err) != codes.InvalidArgument {
			t.Errorf("%s: code = %v, want InvalidArgument", tt.name, status.Code(err))
			continue
		}
		if got := badFields(err); !slices.Equal(got, tt.wantFields) {
			t.Errorf("%s: fields = %q, want %q", tt.name, got, tt.wantFields)
		}
	}
	if n := questionCount(t, s.DB); n != 0 {
		t.Errorf("bad requests wrote %d question versions", n)
	}

	// Over HTTP the same is a 400 whose JSON keeps the field violations.
	r := s.Do(t, auth.Admin, http.MethodPost, "/v1/questions", map[string]any{"question": map[string]any{"stem": "x"}})
	if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), `"field":"question.category"`) &&
		!strings.Contains(string(r.Body), `"field": "question.category"`) {
		t.Errorf("HTTP bad input = %d %s, want 400 naming question.category", r.Status, r.Body)
	}
	if r := s.Do(t, auth.Admin, http.MethodPost, "/v1/questions", `{"question": {"nonsense": 1}}`); r.Status != http.StatusBadRequest {
		t.Errorf("unknown JSON field = %d, want 400", r.Status)
	}
}

func TestCreateQuestionRetryReturnsTheFirstQuestion(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		client := quizv1.NewQuestionServiceClient(s.Conn)
		req := &quizv1.CreateQuestionRequest{Question: redLight(), RequestId: "0c7a3e1e-retry"}
		first, err := client.CreateQuestion(s.Ctx(auth.Admin), req)
		if err != nil {
			t.Fatal(err)
		}
		r := s.Do(t, auth.Admin, http.MethodPost, "/v1/questions", `{"question": {"category": "交通出行",
			"type": "QUESTION_TYPE_SINGLE_CHOICE", "stem": "行人过马路遇到红灯时应当？",
			"options": [{"key": "A", "text": "停在人行横道线外等候"}, {"key": "B", "text": "看没车就快速通过"}],
			"correctKeys": ["A"], "explanation": "红灯停、绿灯行。", "difficulty": "DIFFICULTY_EASY"},
			"requestId": "0c7a3e1e-retry"}`)
		if r.Status != http.StatusOK || r.JSON(t)["question"].(map[string]any)["id"] != first.GetQuestion().GetId() {
			t.Fatalf("HTTP retry = %d %s, want the first question %s", r.Status, r.Body, first.GetQuestion().GetId())
		}
		if n := questionCount(t, s.DB); n != 1 {
			t.Errorf("after a retry there are %d questions, want 1", n)
		}
		changed := &quizv1.CreateQuestionRequest{Question: redLight(), RequestId: req.RequestId}
		changed.Question.Stem = "另一道题"
		if _, err := client.CreateQuestion(s.Ctx(auth.Admin), changed); status.Code(err) != codes.FailedPrecondition {
			t.Errorf("same request_id, different question: %v, want FailedPrecondition", err)
		}
		if n := questionCount(t, s.DB); n != 1 {
			t.Errorf("a reused request_id wrote a row: %d questions", n)
		}
	})
}

func TestListQuestionsPagesAndFilters(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		client := quizv1.NewQuestionServiceClient(s.Conn)
		admin := s.Ctx(auth.Admin)
		var ids []string
		for i := range 5 {
			c := redLight()
			if i%2 == 1 {
				c.Category = "餐桌礼仪"
			}
			resp, err := client.CreateQuestion(admin, &quizv1.CreateQuestionRequest{Question: c})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, resp.GetQuestion().GetId())
		}
		if _, err := client.RetireQuestion(admin, &quizv1.RetireQuestionRequest{Id: ids[0]}); err != nil {
			t.Fatal(err)
		}

		var seen []string
		token := ""
		for page := 0; ; page++ {
			resp, err := client.ListQuestions(s.Ctx(auth.Analyst), &quizv1.ListQuestionsRequest{PageSize: 2, PageToken: token})
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range resp.GetQuestions() {
				seen = append(seen, q.GetId())
			}
			token = resp.GetNextPageToken()
			if token == "" {
				break
			}
			if page > 5 {
				t.Fatal("paging does not end")
			}
		}
		// Newest first, the retired one left out.
		want := []string{ids[4], ids[3], ids[2], ids[1]}
		if !slices.Equal(seen, want) {
			t.Errorf("paged ids = %v, want %v", seen, want)
		}

		resp, err := client.ListQuestions(s.Ctx(auth.Analyst), &quizv1.ListQuestionsRequest{Category: "餐桌礼仪"})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.GetQuestions()) != 2 {
			t.Errorf("category filter returned %d questions, want 2", len(resp.GetQuestions()))
		}
		resp, err = client.ListQuestions(s.Ctx(auth.Analyst), &quizv1.ListQuestionsRequest{IncludeRetired: true,
			Type: quizv1.QuestionType_QUESTION_TYPE_SINGLE_CHOICE})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.GetQuestions()) != 5 {
			t.Errorf("include_retired returned %d questions, want 5", len(resp.GetQuestions()))
		}
		_, err = client.ListQuestions(s.Ctx(auth.Analyst), &quizv1.ListQuestionsRequest{PageToken: "garbage!"})
		if got := badFields(err); !slices.Equal(got, []string{"page_token"}) {
			t.Errorf("malformed page token: %v, want page_token named", err)
		}
		if r := s.Do(t, auth.Analyst, http.MethodGet, "/v1/questions?pageToken=garbage", nil); r.Status != http.StatusBadRequest {
			t.Errorf("malformed page token over HTTP = %d, want 400", r.Status)
		}
	})
}

func TestUpdateKeepsTheVersionAnAttemptSaw(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		client := quizv1.NewQuestionServiceClient(s.Conn)
		admin := s.Ctx(auth.Admin)
		created, err := client.CreateQuestion(admin, &quizv1.CreateQuestionRequest{Question: redLight()})
		if err != nil {
			t.Fatal(err)
		}
		id := created.GetQuestion().GetId()

		// Nobody has seen version 1: an edit rewrites it.
		c := redLight()
		c.Explanation = "红灯停、绿灯行，安全第一。"
		up, err := client.UpdateQuestion(admin, &quizv1.UpdateQuestionRequest{Id: id, Question: c})
		if err != nil {
			t.Fatal(err)
		}
		if up.GetQuestion().GetVersion() != 1 {
			t.Fatalf("edit of an unseen question made version %d, want 1", up.GetQuestion().GetVersion())
		}

		// An attempt is shown version 1; the next edit must leave it alone.
		if err := s.DB.WithTx(context.Background(), func(tx *store.Tx) error {
			return quiz.MarkUsed(context.Background(), tx, id, 1)
		}); err != nil {
			t.Fatal(err)
		}
		c2 := redLight()
		c2.CorrectKeys = []string{"B"}
		up, err = client.UpdateQuestion(admin, &quizv1.UpdateQuestionRequest{Id: id, Question: c2})
		if err != nil {
			t.Fatal(err)
		}
		if up.GetQuestion().GetVersion() != 2 {
			t.Fatalf("edit of a used question made version %d, want 2", up.GetQuestion().GetVersion())
		}
		v1, err := client.GetQuestion(s.Ctx(auth.Analyst), &quizv1.GetQuestionRequest{Id: id, Version: 1})
		if err != nil {
			t.Fatal(err)
		}
		if got := v1.GetQuestion().GetCorrectKeys(); !slices.Equal(got, []string{"A"}) ||
			v1.GetQuestion().GetExplanation() != "红灯停、绿灯行，安全第一。" {
			t.Errorf("version 1 changed: %v", v1.GetQuestion())
		}
		cur, err := client.GetQuestion(s.Ctx(auth.Analyst), &quizv1.GetQuestionRequest{Id: id})
		if err != nil {
			t.Fatal(err)
		}
		if cur.GetQuestion().GetVersion() != 2 || !slices.Equal(cur.GetQuestion().GetCorrectKeys(), []string{"B"}) {
			t.Errorf("current version = %v, want version 2 with answer B", cur.GetQuestion())
		}

		if _, err := client.UpdateQuestion(admin, &quizv1.UpdateQuestionRequest{Id: id, Question: &quizv1.QuestionContent{}}); status.Code(err) != codes.InvalidArgument {
			t.Errorf("update with empty content: %v, want InvalidArgument", err)
		}
		if _, err := client.UpdateQuestion(admin, &quizv1.UpdateQuestionRequest{Id: "missing", Question: redLight()}); status.Code(err) != codes.NotFound {
			t.Errorf("update of a missing question: %v, want NotFound", err)
		}
		if _, err := client.RetireQuestion(admin, &quizv1.RetireQuestionRequest{Id: id}); err != nil {
			t.Fatal(err)
		}
		if _, err := client.UpdateQuestion(admin, &quizv1.UpdateQuestionRequest{Id: id, Question: redLight()}); status.Code(err) != codes.FailedPrecondition {
			t.Errorf("update of a retired question: %v, want FailedPrecondition", err)
		}
	})
}

func TestQuestionBankRoleBoundaries(t *testing.T) {
	t.Parallel()
	s := testserver.Start(t, storetestDB(t))
	client := quizv1.NewQuestionServiceClient(s.Conn)
	created, err := client.CreateQuestion(s.Ctx(auth.Admin), &quizv1.CreateQuestionRequest{Question: redLight()})
	if err != nil {
		t.Fatal(err)
	}
	id := created.GetQuestion().GetId()
	calls := map[string]func(ctx context.Context) error{
		"CreateQuestion": func(ctx context.Context) error {
			_, err := client.CreateQuestion(ctx, &quizv1.CreateQuestionRequest{Question: redLight()})
			return err
		},
		"UpdateQuestion": func(ctx context.Context) error {
			_, err := client.UpdateQuestion(ctx, &quizv1.UpdateQuestionRequest{Id: id, Question: redLight()})
			return err
		},
		"RetireQuestion": func(ctx context.Context) error {
			_, err := client.RetireQuestion(ctx, &quizv1.RetireQuestionRequest{Id: id})
			return err
		},
		"GetQuestion": func(ctx context.Context) error {
			_, err := client.GetQuestion(ctx, &quizv1.GetQuestionRequest{Id: id})
			return err
		},
		"ListQuestions": func(ctx context.Context) error {
			_, err := client.ListQuestions(ctx, &quizv1.ListQuestionsRequest{})
			return err
		},
	}
	reads := map[string]bool{"GetQuestion": true, "ListQuestions": true}
	for method, call := range calls {
		for _, role := range append([]auth.Role{""}, auth.Roles...) {
			want := codes.PermissionDenied
			switch {
			case role == "":
				want = codes.Unauthenticated
			case role == auth.Admin, role == auth.Analyst && reads[method]:
				want = codes.OK
			}
			if method == "RetireQuestion" && want == codes.OK {
				continue // retiring would change what the other calls see
			}
			if got := status.Code(call(s.Ctx(role))); got != want {
				t.Errorf("%s as %q: code = %v, want %v", method, role, got, want)
			}
		}
	}
	// The kiosk boundary over HTTP too: answer keys are 403, no key is 401.
	if r := s.Do(t, auth.Kiosk, http.MethodGet, "/v1/questions/"+id, nil); r.Status != http.StatusForbidden ||
		strings.Contains(string(r.Body), "correct") {
		t.Errorf("kiosk GET question = %d %s, want 403 without answers", r.Status, r.Body)
	}
	if r := s.DoKey(t, "", http.MethodGet, "/v1/questions", nil); r.Status != http.StatusUnauthorized {
		t.Errorf("GET without a key = %d, want 401", r.Status)
	}
}
