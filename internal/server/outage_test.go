package server_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/faultproxy"
	"github.com/wenming/wenming/internal/server"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
)

// proxied opens a fresh PostgreSQL schema through a fault proxy, or
// skips when no test PostgreSQL is configured (storetest fails instead
// under CI). SQLite has no connection to cut; its storage errors are
// classified by store.Unavailable and covered there.
func proxied(t *testing.T) (*store.DB, *faultproxy.Proxy, string) {
	t.Helper()
	dsn := storetest.PostgresDSN(t)
	if dsn == "" {
		t.Skip(storetest.PostgresURLEnv + " is not set: outages are tested through a proxy to PostgreSQL")
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	p, err := faultproxy.Start(u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	u.Host = p.Addr()
	db, err := store.Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, p, u.String()
}

// waitFor polls cond until it holds, failing the test after a minute.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within a minute", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func healthIs(s *testserver.Server, service string, want healthpb.HealthCheckResponse_ServingStatus) func() bool {
	return func() bool {
		resp, err := healthpb.NewHealthClient(s.Conn).Check(context.Background(), &healthpb.HealthCheckRequest{Service: service})
		return err == nil && resp.GetStatus() == want
	}
}

func readyz(t *testing.T, s *testserver.Server) (int, string) {
	t.Helper()
	resp := s.DoKey(t, "", http.MethodGet, "/readyz", nil)
	return resp.Status, string(resp.Body)
}

var outageLine = regexp.MustCompile(`level=ERROR msg="database (refuses connections|connection lost|timed out)"`)

func TestADatabaseCutIsUnavailableAndHealthFollowsIt(t *testing.T) {
	t.Parallel()
	db, proxy, _ := proxied(t)
	frozen := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC) // the log limiter's interval never passes
	s := testserver.StartConfig(t, db, func(c *server.Config) { c.ProbeEvery = 50 * time.Millisecond },
		testserver.WithClock(func() time.Time { return frozen }))
	questions := quizv1.NewQuestionServiceClient(s.Conn)
	list := func() error {
		_, err := questions.ListQuestions(s.Ctx(auth.Admin), &quizv1.ListQuestionsRequest{})
		return err
	}
	if err := list(); err != nil {
		t.Fatalf("before the cut: %v", err)
	}
	const svc = "wenming.quiz.v1.QuestionService"
	if !healthIs(s, svc, healthpb.HealthCheckResponse_SERVING)() {
		t.Fatalf("health of %s is not SERVING before the cut", svc)
	}

	proxy.Cut()
	waitFor(t, "health NOT_SERVING during the cut", healthIs(s, "", healthpb.HealthCheckResponse_NOT_SERVING))
	if !healthIs(s, svc, healthpb.HealthCheckResponse_NOT_SERVING)() {
		t.Errorf("health of %s is not NOT_SERVING during the cut", svc)
	}
	if code, body := readyz(t, s); code != http.StatusServiceUnavailable || !strings.Contains(body, "database unreachable") {
		t.Errorf("/readyz during the cut = %d %q", code, body)
	}
	const calls = 20
	for i := 0; i < calls; i++ {
		err := list()
		if status.Code(err) != codes.Unavailable || apierr.ReasonOf(err) != apierr.DatabaseUnavailable {
			t.Fatalf("gRPC call during the cut: %v, want UNAVAILABLE / DATABASE_UNAVAILABLE", err)
		}
		if i == 0 {
			t.Logf("a gRPC client sees: %v", err)
			var hint bool
			for _, d := range status.Convert(err).Details() {
				_, ok := d.(*errdetails.RetryInfo)
				hint = hint || ok
			}
			if !hint {
				t.Errorf("no RetryInfo in %v", status.Convert(err).Details())
			}
		}
	}
	resp := s.Do(t, auth.Admin, http.MethodGet, "/v1/questions", nil)
	if resp.Status != http.StatusServiceUnavailable || resp.Reason(t) != apierr.DatabaseUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("HTTP during the cut: %d %s (Retry-After %q)", resp.Status, resp.Body, resp.Header.Get("Retry-After"))
	}
	t.Logf("an HTTP client sees: %d, Retry-After %s, %s", resp.Status, resp.Header.Get("Retry-After"), resp.Body)
	// A write fails the same way and writes nothing.
	_, err := questions.CreateQuestion(s.Ctx(auth.Admin), &quizv1.CreateQuestionRequest{RequestId: "cut-1", Question: &quizv1.QuestionContent{
		Category: "公共秩序", Type: quizv1.QuestionType_QUESTION_TYPE_TRUE_FALSE, Stem: "乘坐自动扶梯时应靠右站立。", CorrectKeys: []string{"A"}}})
	if status.Code(err) != codes.Unavailable {
		t.Fatalf("write during the cut: %v, want UNAVAILABLE", err)
	}
	// Rate-limited: one line per kind of failure, not one or two per call.
	if n := len(outageLine.FindAllString(s.Logs(), -1)); n == 0 || n > 3 {
		t.Errorf("%d outage lines for %d failed calls, want 1 per kind (at most 3):\n%s", n, calls+2, s.Logs())
	}
	if strings.Contains(s.Logs(), "internal error") {
		t.Errorf("an outage was logged as an internal error:\n%s", s.Logs())
	}

	if err := proxy.Restore(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "health SERVING after the cut", healthIs(s, "", healthpb.HealthCheckResponse_SERVING))
	if !healthIs(s, svc, healthpb.HealthCheckResponse_SERVING)() {
		t.Errorf("health of %s is not SERVING after the cut", svc)
	}
	if code, body := readyz(t, s); code != http.StatusOK {
		t.Errorf("/readyz after the cut = %d %q", code, body)
	}
	waitFor(t, "calls answer after the cut", func() bool { return list() == nil })
	// The same request id, retried now, writes the question once.
	if _, err := questions.CreateQuestion(s.Ctx(auth.Admin), &quizv1.CreateQuestionRequest{RequestId: "cut-1", Question: &quizv1.QuestionContent{
		Category: "公共秩序", Type: quizv1.QuestionType_QUESTION_TYPE_TRUE_FALSE, Stem: "乘坐自动扶梯时应靠右站立。", CorrectKeys: []string{"A"}}}); err != nil {
		t.Fatalf("retry after the cut: %v", err)
	}
}

func TestAStalledDatabaseAnswersWithinTheCallDeadline(t *testing.T) {
	t.Parallel()
	db, proxy, _ := proxied(t)
	s := testserver.StartConfig(t, db, func(c *server.Config) {
		c.ProbeEvery, c.CallTimeout = 50*time.Millisecond, 2*time.Second
	})
	questions := quizv1.NewQuestionServiceClient(s.Conn)
	if _, err := questions.ListQuestions(s.Ctx(auth.Admin), &quizv1.ListQuestionsRequest{}); err != nil {
		t.Fatal(err)
	}

	proxy.Stall()
	// The client waits far longer than --call-timeout: the answer must
	// come from the server's deadline, not the client's.
	ctx, cancel := context.WithTimeout(s.Ctx(auth.Admin), time.Minute)
	defer cancel()
	start := time.Now()
	_, err := questions.ListQuestions(ctx, &quizv1.ListQuestionsRequest{})
	if c := status.Code(err); c != codes.DeadlineExceeded && c != codes.Unavailable {
		t.Fatalf("call during the stall: %v, want DEADLINE_EXCEEDED or UNAVAILABLE", err)
	}
	if ctx.Err() != nil {
		t.Fatalf("the client's own deadline ran out first: %v", err)
	}
	t.Logf("during a stall (call timeout 2 s) a client sees after %s: %v", time.Since(start).Round(time.Millisecond), err)
	waitFor(t, "health NOT_SERVING during the stall", healthIs(s, "", healthpb.HealthCheckResponse_NOT_SERVING))

	if err := proxy.Restore(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "health SERVING after the stall", healthIs(s, "", healthpb.HealthCheckResponse_SERVING))
	waitFor(t, "calls answer after the stall", func() bool {
		_, err := questions.ListQuestions(s.Ctx(auth.Admin), &quizv1.ListQuestionsRequest{})
		return err == nil
	})
}
