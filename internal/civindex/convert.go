package civindex

import (
	"strings"

	"google.golang.org/protobuf/types/known/timestamppb"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
)

// Enums travel as their stored name with a prefix: SCORING_METHOD_BINARY
// is stored as BINARY. An unspecified or unknown wire value becomes "".

func fromEnum(name, prefix string) string {
	s, ok := strings.CutPrefix(name, prefix)
	if !ok || s == "UNSPECIFIED" {
		return ""
	}
	return s
}

func methodFromProto(m civindexv1.ScoringMethod) string {
	return fromEnum(m.String(), "SCORING_METHOD_")
}
func methodToProto(s string) civindexv1.ScoringMethod {
	return civindexv1.ScoringMethod(civindexv1.ScoringMethod_value["SCORING_METHOD_"+s])
}
func categoryFromProto(c civindexv1.SiteCategory) string {
	return fromEnum(c.String(), "SITE_CATEGORY_")
}
func categoryToProto(s string) civindexv1.SiteCategory {
	return civindexv1.SiteCategory(civindexv1.SiteCategory_value["SITE_CATEGORY_"+s])
}
func kindFromProto(k civindexv1.RoundKind) string { return fromEnum(k.String(), "ROUND_KIND_") }
func kindToProto(s string) civindexv1.RoundKind {
	return civindexv1.RoundKind(civindexv1.RoundKind_value["ROUND_KIND_"+s])
}
func roundStateFromProto(k civindexv1.RoundState) string { return fromEnum(k.String(), "ROUND_STATE_") }
func roundStateToProto(s string) civindexv1.RoundState {
	return civindexv1.RoundState(civindexv1.RoundState_value["ROUND_STATE_"+s])
}

func contentFromProto(p *civindexv1.FrameworkContent) Content {
	c := Content{Name: p.GetName(), Description: p.GetDescription()}
	for _, d := range p.GetDimensions() {
		dim := dimension{ID: d.GetId(), Name: d.GetName()}
		for _, ind := range d.GetIndicators() {
			in := indicator{ID: ind.GetId(), Name: ind.GetName()}
			for _, it := range ind.GetItems() {
				item := Item{
					ID: it.GetId(), Name: it.GetName(), MaxPoints: it.GetMaxPoints(), Method: methodFromProto(it.GetMethod()),
					MinObserved: int(it.GetMinObserved()), PointsPerViolation: it.GetPointsPerViolation(),
					Optional: it.GetOptional(), Guidance: it.GetGuidance(),
				}
				if src := it.GetSurvey(); src != nil {
					item.FromSurvey = &SurveySource{QuestionnaireID: src.GetQuestionnaireId(), QuestionID: src.GetQuestionId(),
						Values: src.GetValues(), CommunityDimension: src.GetCommunityDimension()}
				}
				if item.Method == "" && it.GetMethod() != civindexv1.ScoringMethod_SCORING_METHOD_UNSPECIFIED {
					item.Method = it.GetMethod().String()
				}
				for _, l := range it.GetLevels() {
					item.Levels = append(item.Levels, level{Name: l.GetName(), Fraction: l.GetFraction()})
				}
				in.Items = append(in.Items, item)
			}
			dim.Indicators = append(dim.Indicators, in)
		}
		c.Dimensions = append(c.Dimensions, dim)
	}
	return c
}

func dimensionsToProto(dims []dimension) []*civindexv1.Dimension {
	out := make([]*civindexv1.Dimension, 0, len(dims))
	for _, d := range dims {
		pd := &civindexv1.Dimension{Id: d.ID, Name: d.Name}
		for _, ind := range d.Indicators {
			pi := &civindexv1.Indicator{Id: ind.ID, Name: ind.Name}
			for _, it := range ind.Items {
				item := &civindexv1.CheckItem{
					Id: it.ID, Name: it.Name, MaxPoints: it.MaxPoints, Method: methodToProto(it.Method),
					MinObserved: int32(it.MinObserved), PointsPerViolation: it.PointsPerViolation,
					Optional: it.Optional, Guidance: it.Guidance,
				}
				for _, l := range it.Levels {
					item.Levels = append(item.Levels, &civindexv1.Level{Name: l.Name, Fraction: l.Fraction})
				}
				if src := it.FromSurvey; src != nil {
					item.Survey = &civindexv1.SurveySource{QuestionnaireId: src.QuestionnaireID, QuestionId: src.QuestionID,
						Values: src.Values, CommunityDimension: src.CommunityDimension}
				}
				pi.Items = append(pi.Items, item)
			}
			pd.Indicators = append(pd.Indicators, pi)
		}
		out = append(out, pd)
	}
	return out
}

func frameworkToProto(f Framework) *civindexv1.Framework {
	p := &civindexv1.Framework{
		Id: f.ID, Version: int32(f.Version), Name: f.Name, Description: f.Description,
		Dimensions: dimensionsToProto(f.Dimensions),
		CreateTime: timestamppb.New(f.CreateTime), UpdateTime: timestamppb.New(f.UpdateTime),
		State: civindexv1.FrameworkState_FRAMEWORK_STATE_DRAFT,
	}
	if f.State == published {
		p.State = civindexv1.FrameworkState_FRAMEWORK_STATE_PUBLISHED
		p.PublishTime = timestamppb.New(f.PublishTime)
	}
	return p
}

func siteContentFromProto(p *civindexv1.SiteContent) SiteContent {
	c := SiteContent{Name: p.GetName(), Category: categoryFromProto(p.GetCategory()), Unit: p.GetUnit(), Address: p.GetAddress()}
	if loc := p.GetLocation(); loc != nil {
		c.HasLocation, c.Latitude, c.Longitude = true, loc.GetLatitude(), loc.GetLongitude()
	}
	return c
}

func siteToProto(s Site) *civindexv1.Site {
	p := &civindexv1.Site{
		Id: s.ID, Name: s.Name, Category: categoryToProto(s.Category), Unit: s.Unit, Address: s.Address,
		CreateTime: timestamppb.New(s.CreateTime), UpdateTime: timestamppb.New(s.UpdateTime),
	}
	if s.HasLocation {
		p.Location = &civindexv1.LatLng{Latitude: s.Latitude, Longitude: s.Longitude}
	}
	return p
}

func roundToProto(r Round) *civindexv1.Round {
	return &civindexv1.Round{
		Id: r.ID, Name: r.Name, Kind: kindToProto(r.Kind), State: roundStateToProto(r.State),
		FrameworkId: r.FrameworkID, FrameworkVersion: int32(r.FrameworkVersion),
		StartTime: timestamppb.New(r.Start), EndTime: timestamppb.New(r.End), SiteIds: r.SiteIDs,
		CreateTime: timestamppb.New(r.CreateTime), UpdateTime: timestamppb.New(r.UpdateTime),
	}
}

func recordFromProto(results []*civindexv1.ItemResult, notes string, evidence []*civindexv1.Evidence) Record {
	rec := Record{Notes: notes}
	for _, r := range results {
		rec.Results = append(rec.Results, Result{
			ItemID: r.GetItemId(), NotApplicable: r.GetNotApplicable(), NAReason: r.GetNaReason(),
			Met: r.GetMet(), Level: r.GetLevel(), Compliant: int(r.GetCompliant()), Observed: int(r.GetObserved()),
			Violations: int(r.GetViolations()), Note: r.GetNote(),
		})
	}
	for _, e := range evidence {
		rec.Evidence = append(rec.Evidence, Evidence{URL: e.GetUrl(), SHA256: e.GetSha256(), Caption: e.GetCaption()})
	}
	return rec
}

func revisionToProto(r revision) *civindexv1.InspectionRevision {
	p := &civindexv1.InspectionRevision{
		Revision: int32(r.Revision), Notes: r.Notes, Reason: r.Reason, Author: r.Author,
		AuthorKeyId: r.AuthorKeyID, CreateTime: timestamppb.New(r.CreateTime), VisitScore: r.VisitScore,
	}
	for _, res := range r.Results {
		p.Results = append(p.Results, &civindexv1.ItemResult{
			ItemId: res.ItemID, NotApplicable: res.NotApplicable, NaReason: res.NAReason, Met: res.Met,
			Level: res.Level, Compliant: int32(res.Compliant), Observed: int32(res.Observed),
			Violations: int32(res.Violations), Note: res.Note, Points: res.Points,
		})
	}
	for _, e := range r.Evidence {
		p.Evidence = append(p.Evidence, &civindexv1.Evidence{Url: e.URL, Sha256: e.SHA256, Caption: e.Caption})
	}
	return p
}

func inspectionToProto(ins inspection) *civindexv1.Inspection {
	p := &civindexv1.Inspection{
		Id: ins.ID, RoundId: ins.RoundID, SiteId: ins.SiteID, VisitTime: timestamppb.New(ins.VisitTime),
		Inspector: ins.Inspector, CurrentRevision: int32(ins.CurrentRevision),
		CreateTime: timestamppb.New(ins.CreateTime), UpdateTime: timestamppb.New(ins.UpdateTime),
	}
	for _, r := range ins.Revisions {
		p.Revisions = append(p.Revisions, revisionToProto(r))
	}
	return p
}
