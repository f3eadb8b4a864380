package feedback

import (
	"context"
	"math"
	"strings"

	"google.golang.org/grpc"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/tabular"
)

// statsHandler serves wenming.feedback.v1.FeedbackStatsService.
type statsHandler struct {
	feedbackv1.UnimplementedFeedbackStatsServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *statsHandler) Register(s grpc.ServiceRegistrar) {
	feedbackv1.RegisterFeedbackStatsServiceServer(s, h)
}

// statsPolicy: analysts (and admins) read statistics and exports.
var statsPolicy = auth.Policy{
	feedbackv1.FeedbackStatsService_GetTargetStats_FullMethodName: auth.Allow(auth.Analyst),
	feedbackv1.FeedbackStatsService_GetTrend_FullMethodName:       auth.Allow(auth.Analyst),
	feedbackv1.FeedbackStatsService_RankTargets_FullMethodName:    auth.Allow(auth.Analyst),
	feedbackv1.FeedbackStatsService_ExportRatings_FullMethodName:  auth.Allow(auth.Analyst),
}

func (h *statsHandler) GetTargetStats(ctx context.Context, req *feedbackv1.GetTargetStatsRequest) (*feedbackv1.GetTargetStatsResponse, error) {
	var v apierr.Violations
	requireID(&v, "target_id", req.GetTargetId())
	p := ParsePeriod(&v, req.GetStartDate(), req.GetEndDate())
	if err := v.Err(); err != nil {
		return nil, err
	}
	t, s, err := h.svc.TargetStats(ctx, req.GetTargetId(), p)
	if err != nil {
		return nil, err
	}
	return &feedbackv1.GetTargetStatsResponse{TargetId: t.ID, TargetName: t.Name, Summary: summaryToProto(s)}, nil
}

func (h *statsHandler) GetTrend(ctx context.Context, req *feedbackv1.GetTrendRequest) (*feedbackv1.GetTrendResponse, error) {
	var v apierr.Violations
	requireID(&v, "target_id", req.GetTargetId())
	p := ParsePeriod(&v, req.GetStartDate(), req.GetEndDate())
	g, ok := granularityNames[req.GetGranularity()]
	if !ok {
		v.Add("granularity", "must be DAY, WEEK or MONTH")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	buckets, err := h.svc.TargetTrend(ctx, req.GetTargetId(), p, g)
	if err != nil {
		return nil, err
	}
	resp := &feedbackv1.GetTrendResponse{}
	for _, b := range buckets {
		resp.Buckets = append(resp.Buckets, &feedbackv1.TrendBucket{StartDate: b.Start.String(), Summary: summaryToProto(b.Summary)})
	}
	return resp, nil
}

func (h *statsHandler) RankTargets(ctx context.Context, req *feedbackv1.RankTargetsRequest) (*feedbackv1.RankTargetsResponse, error) {
	var v apierr.Violations
	kind := kindFromProto(&v, "kind", req.GetKind(), true)
	p := ParsePeriod(&v, req.GetStartDate(), req.GetEndDate())
	v.Text("department_id", req.GetDepartmentId(), maxIDLen)
	minCount := int(req.GetMinCount())
	switch {
	case minCount < 0:
		v.Add("min_count", "must not be negative")
	case minCount == 0:
		minCount = defaultMinCount
	}
	weight := float64(defaultPriorWeight)
	if req.PriorWeight != nil {
		weight = req.GetPriorWeight()
		if weight < 0 || weight > 1e6 || math.IsNaN(weight) {
			v.Add("prior_weight", "must be between 0 and 1000000")
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	r, err := h.svc.RankTargets(ctx, kind, req.GetDepartmentId(), p, weight, minCount)
	if err != nil {
		return nil, err
	}
	resp := &feedbackv1.RankTargetsResponse{PriorMean: r.PriorMean, PriorWeight: r.PriorWeight, MinCount: int32(r.MinCount)}
	for _, row := range r.Rows {
		resp.Targets = append(resp.Targets, &feedbackv1.RankedTarget{
			Rank: int32(row.Rank), TargetId: row.TargetID, TargetName: row.Name, Count: row.Agg.N,
			Mean: row.Mean, BayesianAverage: row.Bayesian, SatisfactionRate: row.SatisfactionRate,
			SatisfactionLowerBound: row.SatisfactionLow,
		})
	}
	return resp, nil
}

func (h *statsHandler) ExportRatings(ctx context.Context, req *feedbackv1.ExportRatingsRequest) (*feedbackv1.ExportRatingsResponse, error) {
	var v apierr.Violations
	p := ParsePeriod(&v, req.GetStartDate(), req.GetEndDate())
	v.Text("target_id", req.GetTargetId(), maxIDLen)
	if err := v.Err(); err != nil {
		return nil, err
	}
	var b strings.Builder
	w, err := tabular.NewWriter(&b, tabular.Options{Format: tabular.CSV, NoBOM: true})
	if err != nil {
		return nil, err
	}
	n, cut, err := h.svc.ExportRatings(ctx, w, p, req.GetTargetId(), maxExportRows)
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return nil, err
	}
	return &feedbackv1.ExportRatingsResponse{Csv: b.String(), Rows: int64(n), Truncated: cut}, nil
}
