package quiz

import (
	"time"

	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
)

var contestStates = map[contestState]quizv1.ContestState{
	draft: quizv1.ContestState_CONTEST_STATE_DRAFT, published: quizv1.ContestState_CONTEST_STATE_PUBLISHED,
	closed: quizv1.ContestState_CONTEST_STATE_CLOSED,
}

func contestStateFromProto(s quizv1.ContestState) (contestState, bool) {
	for k, v := range contestStates {
		if v == s {
			return k, true
		}
	}
	return "", s == quizv1.ContestState_CONTEST_STATE_UNSPECIFIED
}

func tsOrZero(t *timestamppb.Timestamp) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.AsTime()
}

func tsOrNil(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

// settingsFromProto converts what a client wrote; unknown enum values
// become names Validate rejects.
func settingsFromProto(p *quizv1.ContestSettings) (Settings, bool) {
	s := Settings{
		Title: p.GetTitle(), Description: p.GetDescription(), Organiser: p.GetOrganiser(),
		Community: p.GetCommunity(), StartTime: tsOrZero(p.GetStartTime()), EndTime: tsOrZero(p.GetEndTime()),
		ShuffleQuestions: p.GetShuffleQuestions(), ShuffleOptions: p.GetShuffleOptions(),
		TimeLimit:       time.Duration(p.GetTimeLimitSeconds()) * time.Second,
		AttemptsAllowed: int(p.GetAttemptsAllowed()),
	}
	points, exact := pointsFromFloat(p.GetPointsPerQuestion())
	s.PointsCenti = points
	switch p.GetMultipleChoicePolicy() {
	case quizv1.MultipleChoicePolicy_MULTIPLE_CHOICE_POLICY_UNSPECIFIED:
	case quizv1.MultipleChoicePolicy_MULTIPLE_CHOICE_POLICY_ALL_OR_NOTHING:
		s.MultiPolicy = allOrNothing
	case quizv1.MultipleChoicePolicy_MULTIPLE_CHOICE_POLICY_PARTIAL:
		s.MultiPolicy = Partial
	default:
		s.MultiPolicy = "UNKNOWN"
	}
	switch p.GetCountingAttempt() {
	case quizv1.CountingAttempt_COUNTING_ATTEMPT_UNSPECIFIED:
	case quizv1.CountingAttempt_COUNTING_ATTEMPT_BEST:
		s.Counting = CountBest
	case quizv1.CountingAttempt_COUNTING_ATTEMPT_FIRST:
		s.Counting = countFirst
	default:
		s.Counting = "UNKNOWN"
	}
	if f := p.GetPaper().GetFixed(); f != nil {
		s.FixedQuestions = append([]string{}, f.GetQuestionIds()...)
	}
	if r := p.GetPaper().GetRandom(); r != nil {
		for _, d := range r.GetDraws() {
			s.Draws = append(s.Draws, DrawRule{
				Category: d.GetCategory(), Difficulty: difficultyFromProto(d.GetDifficulty()), Count: int(d.GetCount()),
			})
		}
	}
	return s, exact
}

func settingsToProto(s Settings) *quizv1.ContestSettings {
	p := &quizv1.ContestSettings{
		Title: s.Title, Description: s.Description, Organiser: s.Organiser, Community: s.Community,
		StartTime: tsOrNil(s.StartTime), EndTime: tsOrNil(s.EndTime),
		ShuffleQuestions: s.ShuffleQuestions, ShuffleOptions: s.ShuffleOptions,
		TimeLimitSeconds: int32(s.TimeLimit / time.Second), AttemptsAllowed: int32(s.AttemptsAllowed),
		PointsPerQuestion:    centi(int64(s.PointsCenti)),
		MultipleChoicePolicy: quizv1.MultipleChoicePolicy_MULTIPLE_CHOICE_POLICY_ALL_OR_NOTHING,
		CountingAttempt:      quizv1.CountingAttempt_COUNTING_ATTEMPT_BEST,
	}
	if s.MultiPolicy == Partial {
		p.MultipleChoicePolicy = quizv1.MultipleChoicePolicy_MULTIPLE_CHOICE_POLICY_PARTIAL
	}
	if s.Counting == countFirst {
		p.CountingAttempt = quizv1.CountingAttempt_COUNTING_ATTEMPT_FIRST
	}
	if len(s.FixedQuestions) > 0 {
		p.Paper = &quizv1.PaperRule{Rule: &quizv1.PaperRule_Fixed{Fixed: &quizv1.FixedPaper{QuestionIds: s.FixedQuestions}}}
	} else {
		r := &quizv1.RandomPaper{}
		for _, d := range s.Draws {
			r.Draws = append(r.Draws, &quizv1.DrawRule{
				Category: d.Category, Difficulty: difficultyToProto(d.Difficulty), Count: int32(d.Count),
			})
		}
		p.Paper = &quizv1.PaperRule{Rule: &quizv1.PaperRule_Random{Random: r}}
	}
	return p
}

func contestToProto(c contest) *quizv1.Contest {
	return &quizv1.Contest{
		Id: c.ID, State: contestStates[c.State], Settings: settingsToProto(c.Settings),
		QuestionCount: int32(c.QuestionCount()), MaxScore: centi(c.MaxScoreCenti()),
		CreateTime: timestamppb.New(c.CreateTime), UpdateTime: timestamppb.New(c.UpdateTime),
		PublishTime: tsOrNil(c.PublishTime),
	}
}

var attemptStates = map[attemptState]quizv1.AttemptState{
	inProgress: quizv1.AttemptState_ATTEMPT_STATE_IN_PROGRESS,
	finished:   quizv1.AttemptState_ATTEMPT_STATE_FINISHED,
	expired:    quizv1.AttemptState_ATTEMPT_STATE_EXPIRED,
}

func attemptToProto(a attempt) *quizv1.Attempt {
	p := &quizv1.Attempt{
		Id: a.ID, ContestId: a.ContestID, DisplayName: a.DisplayName, Community: a.Community,
		State: attemptStates[a.State], AttemptNumber: int32(a.Number),
		StartTime: timestamppb.New(a.StartTime), Deadline: timestamppb.New(a.Deadline),
		FinishTime: tsOrNil(a.FinishTime), QuestionCount: int32(a.QuestionCount),
		AnsweredCount: int32(a.AnsweredCount), Score: centi(a.ScoreCenti), MaxScore: centi(a.MaxScoreCenti),
	}
	if !a.FinishTime.IsZero() {
		p.TimeUsed = durationpb.New(a.TimeUsed())
	}
	return p
}

// paperQuestionToProto is the kiosk's view of a question: stem and options,
// never the key or the explanation.
func paperQuestionToProto(it PaperItem, points int) *quizv1.PaperQuestion {
	p := &quizv1.PaperQuestion{
		Index: int32(it.Position), Category: it.Question.Category, Type: typeToProto(it.Question.Type),
		Stem: it.Question.Stem, Points: centi(int64(points)),
	}
	for _, o := range it.ShownOptions() {
		p.Options = append(p.Options, &quizv1.Option{Key: o.Key, Text: o.Text})
	}
	return p
}

func paperToProto(items []PaperItem, points int) []*quizv1.PaperQuestion {
	out := make([]*quizv1.PaperQuestion, len(items))
	for i, it := range items {
		out[i] = paperQuestionToProto(it, points)
	}
	return out
}

// answerResultToProto carries the key, so it is only built for answered
// questions (or finished attempts).
func answerResultToProto(it PaperItem, points int) *quizv1.AnswerResult {
	return &quizv1.AnswerResult{
		Index: int32(it.Position), ChosenKeys: it.toShown(it.Chosen), Correct: it.Correct,
		PointsEarned: centi(it.EarnedCenti), Points: centi(int64(points)),
		CorrectKeys: it.toShown(it.Question.CorrectKeys), Explanation: it.Question.Explanation,
		AnswerTime: timestamppb.New(it.AnswerTime),
	}
}

func answeredToProto(items []PaperItem, points int) []*quizv1.AnswerResult {
	var out []*quizv1.AnswerResult
	for _, it := range items {
		if it.Answered {
			out = append(out, answerResultToProto(it, points))
		}
	}
	return out
}

func reviewToProto(items []PaperItem, points int) []*quizv1.ReviewItem {
	out := make([]*quizv1.ReviewItem, len(items))
	for i, it := range items {
		r := &quizv1.ReviewItem{
			Question: paperQuestionToProto(it, points), CorrectKeys: it.toShown(it.Question.CorrectKeys),
			Explanation: it.Question.Explanation,
		}
		if it.Answered {
			r.Answer = answerResultToProto(it, points)
		}
		out[i] = r
	}
	return out
}

func standingToProto(s standing) *quizv1.LeaderboardEntry {
	return &quizv1.LeaderboardEntry{
		Rank: int32(s.Rank), DisplayName: s.DisplayName, Community: s.Community,
		Score: centi(s.ScoreCenti), TimeUsed: durationpb.New(s.TimeUsed),
		FinishTime: timestamppb.New(s.FinishTime), AttemptId: s.AttemptID,
	}
}
