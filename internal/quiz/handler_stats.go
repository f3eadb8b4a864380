package quiz

import (
	"context"
	"math"

	"google.golang.org/grpc"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/scoring/stats"
)

// statsHandler serves wenming.quiz.v1.QuizStatsService.
type statsHandler struct {
	quizv1.UnimplementedQuizStatsServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *statsHandler) Register(s grpc.ServiceRegistrar) { quizv1.RegisterQuizStatsServiceServer(s, h) }

// statsPolicy: analysts (and admins) read statistics.
var statsPolicy = auth.Policy{
	quizv1.QuizStatsService_GetContestStatistics_FullMethodName: auth.Allow(auth.Analyst),
}

var flagNames = map[string]quizv1.ItemFlag{
	stats.FlagTooHard:           quizv1.ItemFlag_ITEM_FLAG_TOO_HARD,
	stats.FlagTooEasy:           quizv1.ItemFlag_ITEM_FLAG_TOO_EASY,
	stats.FlagNonDiscriminating: quizv1.ItemFlag_ITEM_FLAG_NON_DISCRIMINATING,
}

func (h *statsHandler) GetContestStatistics(ctx context.Context, req *quizv1.GetContestStatisticsRequest) (*quizv1.GetContestStatisticsResponse, error) {
	var v apierr.Violations
	v.RequiredText("contest_id", req.GetContestId(), maxIDLen)
	if w := req.GetHistogramBinWidth(); w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
		v.Add("histogram_bin_width", "must be a positive number, or 0 for a tenth of the maximum score")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	c, err := getContest(ctx, h.svc.db.R, req.GetContestId())
	if err != nil {
		return nil, err
	}
	if err := h.svc.play.Sweep(ctx, c.ID); err != nil {
		return nil, err
	}
	attempts, questions, err := scoredAttempts(ctx, h.svc.db.R, c.ID)
	if err != nil {
		return nil, err
	}
	maxScore := centi(c.MaxScoreCenti())
	r := analyze(attempts, questions, maxScore, req.GetHistogramBinWidth())
	resp := &quizv1.GetContestStatisticsResponse{
		ContestId: c.ID, AttemptCount: int32(r.Attempts), ParticipantCount: int32(r.Participants),
		MaxScore: maxScore, MeanScore: r.Summary.Mean, MedianScore: r.Summary.Median,
		StddevScore: r.Summary.StdDev, Kr20: r.KR20, Kr20Available: r.KR20OK,
	}
	for _, b := range r.Histogram {
		resp.Histogram = append(resp.Histogram, &quizv1.HistogramBin{Lo: b.Lo, Hi: b.Hi, Count: int32(b.Count)})
	}
	for _, it := range r.Items {
		p := &quizv1.ItemStatistics{
			QuestionId: it.Question.ID, QuestionVersion: int32(it.Question.Version),
			Category: it.Question.Category, Stem: it.Question.Stem,
			Shown: int32(it.Shown), Answered: int32(it.Answered), Correct: int32(it.Correct),
			Facility: it.Facility, FacilityCi: &quizv1.Interval{Lo: it.FacilityCI.Lo, Hi: it.FacilityCI.Hi},
			Discrimination: it.Discrimination, DiscriminationAvailable: it.DiscriminationOK,
		}
		correct := map[string]bool{}
		for _, k := range it.Question.CorrectKeys {
			correct[k] = true
		}
		for _, o := range it.Question.Options {
			p.Options = append(p.Options, &quizv1.OptionCount{
				Key: o.Key, Text: o.Text, Correct: correct[o.Key], Count: int32(it.OptionCounts[o.Key]),
			})
		}
		for _, f := range it.Flags {
			p.Flags = append(p.Flags, flagNames[f])
		}
		resp.Items = append(resp.Items, p)
	}
	return resp, nil
}
