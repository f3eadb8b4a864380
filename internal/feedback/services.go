package feedback

import (
	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/rpc"
)

// Services returns the gRPC services over s.
func (s *Service) Services() []rpc.Service {
	return []rpc.Service{
		{Register: (&targetHandler{svc: s}).Register, Gateway: feedbackv1.RegisterTargetServiceHandler, Policy: targetPolicy},
		{Register: (&ratingHandler{svc: s}).Register, Gateway: feedbackv1.RegisterRatingServiceHandler, Policy: ratingPolicy},
		{Register: (&statsHandler{svc: s}).Register, Gateway: feedbackv1.RegisterFeedbackStatsServiceHandler, Policy: statsPolicy},
		{Register: (&caseHandler{svc: s}).Register, Gateway: feedbackv1.RegisterCaseServiceHandler, Policy: casePolicy},
	}
}
