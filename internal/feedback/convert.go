package feedback

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
)

var kindNames = map[feedbackv1.TargetKind]Kind{
	feedbackv1.TargetKind_TARGET_KIND_DEPARTMENT:   Department,
	feedbackv1.TargetKind_TARGET_KIND_WINDOW:       window,
	feedbackv1.TargetKind_TARGET_KIND_STAFF:        Staff,
	feedbackv1.TargetKind_TARGET_KIND_SERVICE_ITEM: serviceItem,
}

var channelNames = map[feedbackv1.Channel]Channel{
	feedbackv1.Channel_CHANNEL_KIOSK: Kiosk,
	feedbackv1.Channel_CHANNEL_WEB:   Web,
	feedbackv1.Channel_CHANNEL_QR:    QR,
}

var stateNames = map[feedbackv1.CaseState]caseState{
	feedbackv1.CaseState_CASE_STATE_OPEN:            open,
	feedbackv1.CaseState_CASE_STATE_ACKNOWLEDGED:    acknowledged,
	feedbackv1.CaseState_CASE_STATE_RECTIFIED:       rectified,
	feedbackv1.CaseState_CASE_STATE_CLOSED:          closed,
	feedbackv1.CaseState_CASE_STATE_APPEALED:        appealed,
	feedbackv1.CaseState_CASE_STATE_APPEAL_ACCEPTED: appealAccepted,
}

var verdictNames = map[feedbackv1.Verdict]Verdict{
	feedbackv1.Verdict_VERDICT_SATISFIED:     Satisfied,
	feedbackv1.Verdict_VERDICT_NOT_SATISFIED: NotSatisfied,
	feedbackv1.Verdict_VERDICT_UNREACHABLE:   unreachable,
}

var granularityNames = map[feedbackv1.Granularity]granularity{
	feedbackv1.Granularity_GRANULARITY_DAY:   Daily,
	feedbackv1.Granularity_GRANULARITY_WEEK:  weekly,
	feedbackv1.Granularity_GRANULARITY_MONTH: Monthly,
}

// reverse finds the wire value of a stored name (the zero value if none).
func reverse[P comparable, D comparable](m map[P]D, d D) P {
	for k, v := range m {
		if v == d {
			return k
		}
	}
	var zero P
	return zero
}

func ts(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func formFromProto(p *feedbackv1.RatingForm) Form {
	var f Form
	for _, d := range p.GetDimensions() {
		f.Dimensions = append(f.Dimensions, dimension{Key: d.GetKey(), Label: d.GetLabel()})
	}
	f.Tags = append(f.Tags, p.GetTags()...)
	return f
}

func formToProto(f Form) *feedbackv1.RatingForm {
	p := &feedbackv1.RatingForm{Tags: f.Tags}
	for _, d := range f.Dimensions {
		p.Dimensions = append(p.Dimensions, &feedbackv1.Dimension{Key: d.Key, Label: d.Label})
	}
	return p
}

func targetToProto(t Target) *feedbackv1.Target {
	return &feedbackv1.Target{
		Id: t.ID, Kind: reverse(kindNames, t.Kind), Name: t.Name, ParentId: t.ParentID,
		DepartmentId: t.DepartmentID, Active: t.Active, Form: formToProto(t.Form),
		CreateTime: ts(t.CreateTime), UpdateTime: ts(t.UpdateTime), PublicCode: t.PublicCode,
	}
}

func summaryToProto(s summary) *feedbackv1.RatingSummary {
	p := &feedbackv1.RatingSummary{
		Count: s.Count, Mean: s.Mean, Distribution: s.Distribution[:],
		SatisfactionRate: s.SatisfactionRate, BadRate: s.BadRate,
	}
	for _, d := range s.Dimensions {
		p.Dimensions = append(p.Dimensions, &feedbackv1.DimensionStats{Key: d.Key, Count: d.Count, Mean: d.Mean})
	}
	return p
}

// caseToProto maps a case; the contact is decrypted only when showContact.
func (s *Service) caseToProto(c Case, showContact bool, now time.Time) *feedbackv1.Case {
	p := &feedbackv1.Case{
		Id: c.ID, RatingId: c.RatingID, TargetId: c.TargetID, TargetName: c.TargetName,
		DepartmentId: c.DepartmentID, State: reverse(stateNames, c.State), Level: int32(c.Rating.Level),
		Comment: c.Rating.Comment, Tags: c.Rating.Tags, Channel: reverse(channelNames, c.Rating.Channel),
		OpenTime: ts(c.OpenTime), DueTime: ts(c.DueTime), CloseTime: ts(c.CloseTime),
		Verdict: reverse(verdictNames, c.Verdict), Overdue: c.Overdue(now),
		HandoverDepartmentId: c.HandoverTo, AppealEvidence: c.AppealEvidence,
	}
	if showContact {
		p.Contact = s.contactOf(c.RatingID, c.Rating.Contact)
	}
	for _, e := range c.Events {
		p.Events = append(p.Events, &feedbackv1.CaseEvent{
			Action: string(e.Action), ActorKeyId: e.ActorKeyID, ActorName: e.ActorName, Time: ts(e.Time),
			Note: e.Note, FromState: reverse(stateNames, e.From), ToState: reverse(stateNames, e.To),
			DepartmentId: e.DepartmentID,
		})
	}
	return p
}
