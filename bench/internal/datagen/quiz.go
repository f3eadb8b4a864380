package datagen

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/store"
)

// Contest is a published contest with a fixed paper, made through
// QuestionService and ContestService.
type Contest struct {
	ID          string
	QuestionIDs []string
	// Communities attempts are spread over.
	Communities []string
}

// CreateContest creates questions single-choice questions (A correct of
// A–D) and a published contest that asks all of them, open from an hour
// ago for 30 days, one attempt per participant, 10 points a question.
// ctx must carry an admin key.
func CreateContest(ctx context.Context, conn grpc.ClientConnInterface, questions int) (Contest, error) {
	qc := quizv1.NewQuestionServiceClient(conn)
	cc := quizv1.NewContestServiceClient(conn)
	out := Contest{Communities: []string{"东湖社区", "西山社区", "南门社区", "北苑社区", "中心社区"}}
	for i := range questions {
		q, err := qc.CreateQuestion(ctx, &quizv1.CreateQuestionRequest{Question: &quizv1.QuestionContent{
			Category: "公共秩序", Type: quizv1.QuestionType_QUESTION_TYPE_SINGLE_CHOICE,
			Stem: fmt.Sprintf("压测题目 %d：排队时应当？", i+1),
			Options: []*quizv1.Option{
				{Key: "A", Text: "自觉排队，不插队"}, {Key: "B", Text: "找熟人插队"},
				{Key: "C", Text: "大声催促前面的人"}, {Key: "D", Text: "随意站位"},
			},
			CorrectKeys: []string{"A"}, Explanation: "文明排队，人人有责。",
			Difficulty: quizv1.Difficulty_DIFFICULTY_EASY,
		}})
		if err != nil {
			return out, fmt.Errorf("create question: %w", err)
		}
		out.QuestionIDs = append(out.QuestionIDs, q.GetQuestion().GetId())
	}
	now := time.Now()
	c, err := cc.CreateContest(ctx, &quizv1.CreateContestRequest{Contest: &quizv1.ContestSettings{
		Title: "压测知识竞赛", Organiser: "bench",
		StartTime: timestamppb.New(now.Add(-time.Hour)), EndTime: timestamppb.New(now.Add(30 * 24 * time.Hour)),
		Paper:            &quizv1.PaperRule{Rule: &quizv1.PaperRule_Fixed{Fixed: &quizv1.FixedPaper{QuestionIds: out.QuestionIDs}}},
		TimeLimitSeconds: 3600, AttemptsAllowed: 1, PointsPerQuestion: 10,
		MultipleChoicePolicy: quizv1.MultipleChoicePolicy_MULTIPLE_CHOICE_POLICY_ALL_OR_NOTHING,
		CountingAttempt:      quizv1.CountingAttempt_COUNTING_ATTEMPT_BEST,
	}})
	if err != nil {
		return out, fmt.Errorf("create contest: %w", err)
	}
	out.ID = c.GetContest().GetId()
	if _, err := cc.PublishContest(ctx, &quizv1.PublishContestRequest{Id: out.ID}); err != nil {
		return out, fmt.Errorf("publish contest: %w", err)
	}
	return out, nil
}

// BulkAttempts writes n finished attempts of n different participants to
// the contest, with their contest_participants counts and their
// leaderboard rows (each attempt counts: one per participant) and the
// leaderboard sizes. Scores are
// spread over 0…100 in steps of 10 with times used of 1–10 minutes, so
// the leaderboard has many ties to break. With paper set it also writes
// the answered paper rows (10 per attempt by default, so 10× the rows);
// leaderboard reads do not touch them.
func BulkAttempts(ctx context.Context, db *store.DB, c Contest, n int, paper bool) error {
	qn := len(c.QuestionIDs)
	start := time.Now().Add(-30 * time.Minute)
	type att struct {
		id, pseudonym, name, community string
		score, used, startUS, finishUS int64
	}
	attempt := func(i int) att {
		used := int64(60+(i*7919)%540) * 1_000_000
		st := store.Micros(start) + int64(i)
		return att{
			id: uuidish(0xa7, int64(i)), pseudonym: fmt.Sprintf("bench-%09d", i),
			name: fmt.Sprintf("居民%d", i), community: c.Communities[i%len(c.Communities)],
			score: int64((i*31)%(qn+1)) * 10 * 100, used: used, startUS: st, finishUS: st + used,
		}
	}
	const chunk = 100_000
	for s := 0; s < n; s += chunk {
		k := min(chunk, n-s)
		err := bulk(ctx, db, "attempts", []string{"id", "contest_id", "pseudonym", "attempt_number", "display_name",
			"community", "state", "start_time", "deadline", "finish_time", "question_count", "answered_count",
			"score", "max_score"}, k, func(i int) []any {
			a := attempt(s + i)
			return []any{a.id, c.ID, a.pseudonym, 1, a.name, a.community, "FINISHED", a.startUS,
				a.startUS + 3600*1_000_000, a.finishUS, qn, qn, a.score, int64(qn) * 10 * 100}
		})
		if err != nil {
			return err
		}
		err = bulk(ctx, db, "contest_participants", []string{"contest_id", "pseudonym", "attempts_started"}, k,
			func(i int) []any { return []any{c.ID, attempt(s + i).pseudonym, 1} })
		if err != nil {
			return err
		}
		err = bulk(ctx, db, "leaderboard", []string{"contest_id", "pseudonym", "attempt_id", "attempt_number",
			"display_name", "community", "neg_score", "time_used", "finish_time"}, k, func(i int) []any {
			a := attempt(s + i)
			return []any{c.ID, a.pseudonym, a.id, 1, a.name, a.community, -a.score, a.used, a.finishUS}
		})
		if err != nil {
			return err
		}
		if !paper {
			continue
		}
		err = bulk(ctx, db, "attempt_questions", []string{"attempt_id", "position", "question_id", "question_version",
			"option_order", "chosen_keys", "correct", "earned", "answer_time"}, k*qn, func(j int) []any {
			a := attempt(s + j/qn)
			pos := j % qn
			right := int64(pos)*10*100 < a.score
			chosen, earned := `["B"]`, int64(0)
			if right {
				chosen, earned = `["A"]`, 1000
			}
			return []any{a.id, pos, c.QuestionIDs[pos], 1, `["A","B","C","D"]`, chosen, right, earned,
				a.startUS + int64(pos+1)*a.used/int64(qn)}
		})
		if err != nil {
			return err
		}
	}
	if err := fillParticipation(ctx, db, c, n, attempt0(start)); err != nil {
		return err
	}
	return fillLeaderboardCounts(ctx, db, c.ID)
}

// attempt0 is when the i-th generated attempt starts: start + i µs.
func attempt0(start time.Time) func(i int) time.Time {
	return func(i int) time.Time { return start.Add(time.Duration(i) * time.Microsecond) }
}

// fillParticipation writes quiz_participation for the generated attempts
// as StartAttempt would have kept it (days in Asia/Shanghai, the server's
// default zone): every attempt is a first one.
func fillParticipation(ctx context.Context, db *store.DB, c Contest, n int, startOf func(int) time.Time) error {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return err
	}
	type key struct {
		community string
		day       int
	}
	counts := map[key]int{}
	for i := range n {
		t := startOf(i).In(loc)
		counts[key{c.Communities[i%len(c.Communities)], t.Year()*10000 + int(t.Month())*100 + t.Day()}]++
	}
	keys := make([]key, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	return bulk(ctx, db, "quiz_participation", []string{"contest_id", "community", "day", "attempts", "first_attempts"}, len(keys),
		func(i int) []any {
			return []any{c.ID, keys[i].community, keys[i].day, counts[keys[i]], counts[keys[i]]}
		})
}

// fillLeaderboardCounts sets leaderboard_counts of the contest from its
// leaderboard rows, as migration 00104 does for existing data: community
// ” is the whole contest.
func fillLeaderboardCounts(ctx context.Context, db *store.DB, contestID string) error {
	return db.WithTx(ctx, func(tx *store.Tx) error {
		for _, q := range []string{
			`DELETE FROM leaderboard_counts WHERE contest_id = ?`,
			`INSERT INTO leaderboard_counts (contest_id, community, participants)
			 SELECT contest_id, '', COUNT(*) FROM leaderboard WHERE contest_id = ? GROUP BY contest_id`,
			`INSERT INTO leaderboard_counts (contest_id, community, participants)
			 SELECT contest_id, community, COUNT(*) FROM leaderboard WHERE contest_id = ? AND community <> ''
			 GROUP BY contest_id, community`,
		} {
			if _, err := tx.ExecContext(ctx, tx.Rebind(q), contestID); err != nil {
				return fmt.Errorf("datagen: leaderboard_counts: %w", err)
			}
		}
		return nil
	})
}
