package feedback

import (
	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/rpc"
)

// Services returns the gRPC services over s.
func (s *Service) Services() []rpc.Service {
	return []rpc.Service{
		{Register: (&TargetHandler{svc: s}).Register, Gateway: feedbackv1.RegisterTargetServiceHandler, Policy: TargetPolicy},
		{Register: (&RatingHandler{svc: s}).Register, Gateway: feedbackv1.RegisterRatingServiceHandler, Policy: RatingPolicy},
		{Register: (&StatsHandler{svc: s}).Register, Gateway: feedbackv1.RegisterFeedbackStatsServiceHandler, Policy: StatsPolicy},
		{Register: (&CaseHandler{svc: s}).Register, Gateway: feedbackv1.RegisterCaseServiceHandler, Policy: CasePolicy},
	}
}
