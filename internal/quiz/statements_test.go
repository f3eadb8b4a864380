package quiz_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jmoiron/sqlx"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/testserver"
)

// countingConn counts the statements run on a connection.
type countingConn struct {
	driver.Conn
	n *atomic.Int64
}

func (c countingConn) ExecContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Result, error) {
	c.n.Add(1)
	return c.Conn.(driver.ExecerContext).ExecContext(ctx, q, args)
}

func (c countingConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	c.n.Add(1)
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
}

func (c countingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

type countingConnector struct {
	d   driver.Driver
	dsn string
	n   *atomic.Int64
}

func (c countingConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.d.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return countingConn{Conn: conn, n: c.n}, nil
}

func (c countingConnector) Driver() driver.Driver { return c.d }

// countingSQLite is a migrated SQLite database, set up like store.Open
// does, whose writer connection counts the statements it runs: every
// transaction of the game goes through it.
func countingSQLite(t *testing.T) (*store.DB, *atomic.Int64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "count.db")
	const pragmas = "_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)"
	r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	n := &atomic.Int64{}
	w := sql.OpenDB(countingConnector{d: r.Driver(), dsn: "file:" + path + "?" + pragmas + "&_txlock=immediate", n: n})
	w.SetMaxOpenConns(1)
	db := &store.DB{W: sqlx.NewDb(w, "sqlite"), R: sqlx.NewDb(r, "sqlite"), Dialect: store.SQLite, DSN: "sqlite:" + path}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db, n
}

// difficulties cycle through a bank made by bankFile.
var difficulties = []string{"EASY", "MEDIUM", "HARD"}

// bankFile has perCategory questions in each category, of difficulties
// EASY, MEDIUM, HARD in turn, each named in its stem; every question's
// right answer is the option "对的".
func bankFile(perCategory int, categories ...string) string {
	var b strings.Builder
	b.WriteString("questions:\n")
	for _, c := range categories {
		for i := range perCategory {
			d := difficulties[i%len(difficulties)]
			fmt.Fprintf(&b, "  - category: %s\n    type: SINGLE_CHOICE\n    difficulty: %s\n    stem: %s第%d题(%s)\n"+
				"    options: [对的, 错的一, 错的二, 错的三]\n    correct: [A]\n    explanation: 解析%s%d\n", c, d, c, i, d, c, i)
		}
	}
	return b.String()
}

// TestAKioskGameRunsAFewStatementsPerCall counts the statements each call
// of a game of 10 questions (drawn by three rules) runs, so a query per
// question cannot creep back in.
func TestAKioskGameRunsAFewStatementsPerCall(t *testing.T) {
	t.Parallel()
	db, n := countingSQLite(t)
	s := testserver.Start(t, db, withSecret)
	kiosk := s.Ctx(auth.Kiosk)
	play := quizv1.NewPlayServiceClient(s.Conn)
	contestID := drawnContest(t, s, 6, 2)
	counted := func(what string, call func() error) int64 {
		t.Helper()
		before := n.Load()
		if err := call(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return n.Load() - before
	}
	for game := range 2 { // the second game finds its question versions already used
		var st *quizv1.StartAttemptResponse
		start := counted("StartAttempt", func() (err error) {
			st, err = play.StartAttempt(kiosk, &quizv1.StartAttemptRequest{
				ContestId: contestID, DisplayName: "小钱", Community: "东湖社区", ParticipantIdentifier: "13700137000",
			})
			return err
		})
		if len(st.GetQuestions()) != 10 {
			t.Fatalf("paper of %d questions, want 10", len(st.GetQuestions()))
		}
		var answers []int64
		for _, q := range st.GetQuestions() {
			answers = append(answers, counted("AnswerQuestion", func() error {
				_, err := play.AnswerQuestion(kiosk, &quizv1.AnswerQuestionRequest{
					AttemptId: st.GetAttempt().GetId(), Index: q.GetIndex(), ChosenKeys: []string{"A"},
				})
				return err
			}))
		}
		submit := counted("SubmitAttempt", func() error {
			_, err := play.SubmitAttempt(kiosk, &quizv1.SubmitAttemptRequest{AttemptId: st.GetAttempt().GetId()})
			return err
		})
		t.Logf("game %d statements: StartAttempt %d, AnswerQuestion %v, SubmitAttempt %d", game+1, start, answers, submit)
		// Start: contest, participant, pools, mark used, versions, attempt,
		// paper (one multi-row insert), the participation day. Answer: attempt and contest, position, the two
		// updates. Submit: attempt and contest, paper, finish, leaderboard (4).
		if start > 8 || slices.Max(answers) > 4 || submit > 7 {
			t.Errorf("game %d runs more statements than StartAttempt 8, AnswerQuestion 4, SubmitAttempt 7", game+1)
		}
	}
}

// drawnContest publishes a contest whose paper draws 4, 3 and 3 of
// perCategory questions in three categories.
func drawnContest(tb testing.TB, s *testserver.Server, perCategory, attempts int) string {
	tb.Helper()
	admin := s.Ctx(auth.Admin)
	questions, contests := quizv1.NewQuestionServiceClient(s.Conn), quizv1.NewContestServiceClient(s.Conn)
	if _, err := questions.ImportQuestions(admin, &quizv1.ImportQuestionsRequest{
		Format: quizv1.ImportFormat_IMPORT_FORMAT_YAML, Content: bankFile(perCategory, "公共秩序", "交通出行", "网络文明"),
	}); err != nil {
		tb.Fatal(err)
	}
	settings := contestSettings(nil, true)
	settings.Paper = &quizv1.PaperRule{Rule: &quizv1.PaperRule_Random{Random: &quizv1.RandomPaper{Draws: []*quizv1.DrawRule{
		{Category: "公共秩序", Count: 4}, {Category: "交通出行", Count: 3}, {Category: "网络文明", Count: 3},
	}}}}
	settings.AttemptsAllowed = int32(attempts)
	c, err := contests.CreateContest(admin, &quizv1.CreateContestRequest{Contest: settings})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := contests.PublishContest(admin, &quizv1.PublishContestRequest{Id: c.GetContest().GetId()}); err != nil {
		tb.Fatal(err)
	}
	return c.GetContest().GetId()
}
