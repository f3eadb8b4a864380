package quiz

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
)

// fakeClock is a settable clock for the services under test.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// noShuffle keeps every order as written, so papers are predictable.
func noShuffle(int, func(i, j int)) {}

// t0 is when test contests open.
var t0 = time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)

type fixture struct {
	db       *store.DB
	svc      *Service
	clock    *fakeClock
	bank     *bank
	contests *contests
	play     *play
}

func newFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	clk := &fakeClock{t: t0}
	svc, err := New(rpc.Deps{DB: db, Now: clk.Now}, WithShuffler(noShuffle))
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{db: db, svc: svc, clock: clk, bank: svc.bank, contests: svc.contests, play: svc.play}
}

// handFile is the bank of the hand-worked examples: one question of each
// type, keys A, B, C in order.
const handFile = `
questions:
  - category: 公共秩序
    type: SINGLE_CHOICE
    stem: 在公交车站等车时，正确的做法是？
    options: [依次排队, 往前挤, 站在车道上]
    correct: [A]
    explanation: 依次排队，先下后上。
  - category: 交通出行
    type: TRUE_FALSE
    stem: 行人应走人行横道。
    correct: [A]
    explanation: 行人走人行横道更安全。
  - category: 网络文明
    type: MULTIPLE_CHOICE
    stem: 哪些是文明上网？
    options: [核实再转发, 理性表达, 人肉搜索]
    correct: [A, B]
    explanation: 不侵犯他人隐私。
`

func (f *fixture) addQuestions(t *testing.T, yaml string) []question {
	t.Helper()
	cs, err := parseQuestionsYAML(strings.NewReader(yaml))
	if err != nil {
		t.Fatal(err)
	}
	var qs []question
	err = f.db.WithTx(context.Background(), func(tx *store.Tx) error {
		qs, _, err = f.bank.Import(context.Background(), tx, cs)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

// settings is a valid contest over the given questions, open for a day
// from t0 with a 5-minute limit and 10 points per question.
func settings(ids ...string) Settings {
	s := Settings{
		Title: "文明礼仪知识竞赛", StartTime: t0, EndTime: t0.Add(24 * time.Hour),
		FixedQuestions: ids, TimeLimit: 5 * time.Minute, AttemptsAllowed: 1, PointsCenti: 1000,
	}
	s.Normalize()
	return s
}

// publish creates and publishes a contest.
func (f *fixture) publish(t *testing.T, s Settings) contest {
	t.Helper()
	ctx := context.Background()
	var c contest
	err := f.db.WithTx(ctx, func(tx *store.Tx) (err error) {
		c, err = f.contests.Create(ctx, tx, s)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = f.contests.Publish(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) start(t *testing.T, contestID string, who participant) (attempt, []PaperItem, error) {
	t.Helper()
	var a attempt
	var items []PaperItem
	err := f.db.WithTx(context.Background(), func(tx *store.Tx) (err error) {
		a, items, err = f.play.Start(context.Background(), tx, contestID, who)
		return err
	})
	return a, items, err
}

func (f *fixture) mustStart(t *testing.T, contestID string, who participant) attempt {
	t.Helper()
	a, _, err := f.start(t, contestID, who)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (f *fixture) answer(t *testing.T, attemptID string, index int, keys ...string) (PaperItem, error) {
	t.Helper()
	var it PaperItem
	err := f.db.WithTx(context.Background(), func(tx *store.Tx) (err error) {
		it, _, err = f.play.Answer(context.Background(), tx, attemptID, index, keys)
		return err
	})
	return it, err
}

func (f *fixture) submit(t *testing.T, attemptID string, answers ...answerIn) (attempt, error) {
	t.Helper()
	var a attempt
	err := f.db.WithTx(context.Background(), func(tx *store.Tx) (err error) {
		a, _, err = f.play.Submit(context.Background(), tx, attemptID, answers)
		return err
	})
	return a, err
}

func person(name, community string) participant {
	return participant{Pseudonym: Pseudonym([]byte("test key"), name), DisplayName: name, Community: community}
}
