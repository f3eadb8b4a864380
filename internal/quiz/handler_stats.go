package quiz

import (
	"context"
	"math"

	"google.golang.org/grpc"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/scoring/stats"
	"github.com/wenming/wenming/internal/workcal"
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
	quizv1.QuizStatsService_GetParticipation_FullMethodName:     auth.Allow(auth.Analyst),
}

var granularities = map[quizv1.Granularity]granularity{
	quizv1.Granularity_GRANULARITY_DAY:   byDay,
	quizv1.Granularity_GRANULARITY_WEEK:  byWeek,
	quizv1.Granularity_GRANULARITY_MONTH: byMonth,
}

func (h *statsHandler) GetParticipation(ctx context.Context, req *quizv1.GetParticipationRequest) (*quizv1.GetParticipationResponse, error) {
	var v apierr.Violations
	v.RequiredText("contest_id", req.GetContestId(), maxIDLen)
	g, ok := granularities[req.GetGranularity()]
	if !ok {
		v.Add("granularity", "must be DAY, WEEK or MONTH")
	}
	date := func(field, s string) workcal.Date {
		if s == "" {
			return workcal.Date{}
		}
		d, err := workcal.ParseDate(s)
		if err != nil {
			v.Add(field, "%q is not a date YYYY-MM-DD", s)
		}
		return d
	}
	from, to := date("start_date", req.GetStartDate()), date("end_date", req.GetEndDate())
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		v.Add("end_date", "is before start_date")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	p, err := h.svc.Participation(ctx, req.GetContestId(), from, to, g)
	if err != nil {
		return nil, err
	}
	resp := &quizv1.GetParticipationResponse{
		ContestId: req.GetContestId(), Granularity: req.GetGranularity(),
		StartDate: p.From.String(), EndDate: p.To.String(), All: seriesToProto(p.All),
	}
	for _, s := range p.Starts {
		resp.BucketStarts = append(resp.BucketStarts, s.String())
	}
	for _, c := range p.Communities {
		resp.Communities = append(resp.Communities, seriesToProto(c))
	}
	return resp, nil
}

func seriesToProto(s series) *quizv1.CommunityParticipation {
	count := func(c partCount) *quizv1.ParticipationCount {
		return &quizv1.ParticipationCount{Attempts: int32(c.Attempts), Participants: int32(c.Participants), Finished: int32(c.Finished)}
	}
	out := &quizv1.CommunityParticipation{Community: s.Community, Total: count(s.Total)}
	for _, b := range s.Buckets {
		out.Buckets = append(out.Buckets, count(b))
	}
	return out
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
