package civindex

import (
	"context"
	"fmt"
	"math"
	"strings"

	"google.golang.org/grpc"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/scoring/stats"
)

// indexHandler serves wenming.civindex.v1.IndexService.
type indexHandler struct {
	civindexv1.UnimplementedIndexServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *indexHandler) Register(s grpc.ServiceRegistrar) { civindexv1.RegisterIndexServiceServer(s, h) }

// indexPolicy: the index is for analysts (and admins); it writes nothing.
var indexPolicy = auth.Policy{
	civindexv1.IndexService_GetSiteScore_FullMethodName:    auth.Allow(auth.Analyst),
	civindexv1.IndexService_GetRoundIndex_FullMethodName:   auth.Allow(auth.Analyst),
	civindexv1.IndexService_ListSiteRanking_FullMethodName: auth.Allow(auth.Analyst),
	civindexv1.IndexService_ListUnitRanking_FullMethodName: auth.Allow(auth.Analyst),
	civindexv1.IndexService_GetTrend_FullMethodName:        auth.Allow(auth.Analyst),
	civindexv1.IndexService_ListShortfalls_FullMethodName:  auth.Allow(auth.Analyst),
	civindexv1.IndexService_ExportIndex_FullMethodName:     auth.Allow(auth.Analyst),
}

func (h *indexHandler) round(ctx context.Context, roundID string) (roundData, error) {
	if err := checkID("round_id", roundID); err != nil {
		return roundData{}, err
	}
	return h.svc.Reports.Round(ctx, roundID, false)
}

func (h *indexHandler) GetSiteScore(ctx context.Context, req *civindexv1.GetSiteScoreRequest) (*civindexv1.GetSiteScoreResponse, error) {
	var v apierr.Violations
	requireID(&v, "round_id", req.GetRoundId())
	requireID(&v, "site_id", req.GetSiteId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	d, s, err := h.svc.Reports.Site(ctx, req.GetRoundId(), req.GetSiteId())
	if err != nil {
		return nil, err
	}
	return &civindexv1.GetSiteScoreResponse{Score: siteScoreToProto(s, &d.Framework, true)}, nil
}

func (h *indexHandler) GetRoundIndex(ctx context.Context, req *civindexv1.GetRoundIndexRequest) (*civindexv1.GetRoundIndexResponse, error) {
	var v apierr.Violations
	requireID(&v, "round_id", req.GetRoundId())
	weights := parseWeights(req.GetWeights(), &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	d, err := h.svc.Reports.Totals(ctx, req.GetRoundId())
	if err != nil {
		return nil, err
	}
	head, err := GetChainHead(ctx, h.svc.db.R, d.Round.ID)
	if err != nil {
		return nil, err
	}
	return &civindexv1.GetRoundIndexResponse{Index: roundIndexToProto(d, weights), ChainHead: head.Hash, ChainLength: head.Length}, nil
}

// parseWeights checks category weights; nil means unweighted.
func parseWeights(ws []*civindexv1.CategoryWeight, v *apierr.Violations) map[string]float64 {
	if len(ws) == 0 {
		return nil
	}
	out := map[string]float64{}
	for i, w := range ws {
		field := fmt.Sprintf("weights[%d]", i)
		cat := categoryFromProto(w.GetCategory())
		if _, dup := out[cat]; cat == "" {
			v.Add(field+".category", "is required: a known site category")
		} else if dup {
			v.Add(field+".category", "%s is weighted twice", cat)
		}
		if x := w.GetWeight(); math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			v.Add(field+".weight", "must be a finite number ≥ 0, got %v", x)
		}
		out[cat] = w.GetWeight()
	}
	return out
}

func (h *indexHandler) ListSiteRanking(ctx context.Context, req *civindexv1.ListSiteRankingRequest) (*civindexv1.ListSiteRankingResponse, error) {
	cat := categoryFromProto(req.GetCategory())
	if cat == "" && req.GetCategory() != civindexv1.SiteCategory_SITE_CATEGORY_UNSPECIFIED {
		return nil, apierr.Field("category", "unknown category %d", req.GetCategory())
	}
	unit := strings.TrimSpace(req.GetUnit())
	d, err := h.round(ctx, req.GetRoundId())
	if err != nil {
		return nil, err
	}
	var sites []scoredSite
	for _, s := range scored(d.Sites) {
		if (cat == "" || s.Site.Category == cat) && (unit == "" || s.Site.Unit == unit) {
			sites = append(sites, s)
		}
	}
	resp := &civindexv1.ListSiteRankingResponse{}
	for _, r := range rankSites(sites) {
		resp.Sites = append(resp.Sites, &civindexv1.RankedSite{Rank: int32(r.Rank), Score: siteScoreToProto(r.scoredSite, &d.Framework, false)})
	}
	return resp, nil
}

func (h *indexHandler) ListUnitRanking(ctx context.Context, req *civindexv1.ListUnitRankingRequest) (*civindexv1.ListUnitRankingResponse, error) {
	d, err := h.round(ctx, req.GetRoundId())
	if err != nil {
		return nil, err
	}
	resp := &civindexv1.ListUnitRankingResponse{}
	for _, u := range rankUnits(scored(d.Sites)) {
		resp.Units = append(resp.Units, &civindexv1.RankedUnit{Rank: int32(u.Rank), Unit: u.Unit, Score: u.Score, Sites: int32(u.Sites)})
	}
	return resp, nil
}

func (h *indexHandler) GetTrend(ctx context.Context, req *civindexv1.GetTrendRequest) (*civindexv1.GetTrendResponse, error) {
	var v apierr.Violations
	requireID(&v, "framework_id", req.GetFrameworkId())
	kind := ""
	if k := req.GetKind(); k != civindexv1.RoundKind_ROUND_KIND_UNSPECIFIED {
		if kind = kindFromProto(k); kind == "" {
			v.Add("kind", "unknown round kind %d", k)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	rounds, err := h.svc.Reports.Trend(ctx, req.GetFrameworkId(), kind)
	if err != nil {
		return nil, err
	}
	resp := &civindexv1.GetTrendResponse{}
	var prev stats.Moments
	for i, d := range rounds {
		resp.Points = append(resp.Points, &civindexv1.TrendPoint{
			Index: roundIndexToProto(d, nil), FrameworkVersion: int32(d.Round.FrameworkVersion),
		})
		cur := d.Stats.Total("")
		if i > 0 {
			c := compareRounds(prev, cur)
			resp.Changes = append(resp.Changes, &civindexv1.TrendChange{
				FromRoundId: rounds[i-1].Round.ID, ToRoundId: d.Round.ID, Diff: c.Diff, T: finiteOr0(c.T),
				Df: c.DF, P: c.P, Significant: c.Significant, Note: c.Note,
			})
		}
		prev = cur
	}
	return resp, nil
}

// finiteOr0 keeps ±Inf (two rounds without spread) out of JSON, which has
// no infinity; Significant and P still carry the verdict.
func finiteOr0(x float64) float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return 0
	}
	return x
}

func (h *indexHandler) ListShortfalls(ctx context.Context, req *civindexv1.ListShortfallsRequest) (*civindexv1.ListShortfallsResponse, error) {
	var v apierr.Violations
	requireID(&v, "round_id", req.GetRoundId())
	th := req.GetThreshold()
	if th == 0 {
		th = defaultShortfallShare
	}
	if !(th > 0 && th <= 1) {
		v.Add("threshold", "must be a share in (0, 1], got %v", req.GetThreshold())
	}
	if req.GetSiteId() != "" && req.GetUnit() != "" {
		v.Add("unit", "set site_id or unit, not both")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var d roundData
	var sites []scoredSite
	var err error
	if req.GetSiteId() != "" {
		var s scoredSite
		d, s, err = h.svc.Reports.Site(ctx, req.GetRoundId(), req.GetSiteId())
		sites = []scoredSite{s}
	} else {
		d, err = h.svc.Reports.Round(ctx, req.GetRoundId(), true)
		unit := strings.TrimSpace(req.GetUnit())
		for _, s := range d.Sites {
			if unit == "" || s.Site.Unit == unit {
				sites = append(sites, s)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	names := itemNames(&d.Framework)
	resp := &civindexv1.ListShortfallsResponse{Threshold: th}
	for _, s := range itemShortfalls(sites, th) {
		resp.Shortfalls = append(resp.Shortfalls, &civindexv1.Shortfall{
			ItemId: s.ItemID, Name: names[s.ItemID], DimensionId: s.DimensionID,
			Points: s.Points, MaxPoints: s.MaxPoints, Lost: s.Lost, Share: s.Share,
		})
	}
	return resp, nil
}

func (h *indexHandler) ExportIndex(ctx context.Context, req *civindexv1.ExportIndexRequest) (*civindexv1.ExportIndexResponse, error) {
	d, err := h.round(ctx, req.GetRoundId())
	if err != nil {
		return nil, err
	}
	out, err := ExportCSV(d)
	if err != nil {
		return nil, err
	}
	head, err := GetChainHead(ctx, h.svc.db.R, d.Round.ID)
	if err != nil {
		return nil, err
	}
	return &civindexv1.ExportIndexResponse{Csv: out, Filename: "civindex-" + d.Round.ID + ".csv",
		ChainHead: head.Hash, ChainLength: head.Length}, nil
}
