package quiz

import (
	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/rpc"
)

// Services returns the quiz gRPC services.
func Services(d rpc.Deps, opts ...ServiceOption) []rpc.Service {
	questions := NewQuestionHandler(d.DB)
	contests := NewContestHandler(d.DB, opts...)
	play := NewPlayHandler(d.DB, d.SubKey(PseudonymKeyPurpose), opts...)
	stats := NewStatsHandler(d.DB, opts...)
	return []rpc.Service{
		{Register: questions.Register, Gateway: quizv1.RegisterQuestionServiceHandler, Policy: QuestionPolicy},
		{Register: contests.Register, Gateway: quizv1.RegisterContestServiceHandler, Policy: ContestPolicy},
		{Register: play.Register, Gateway: quizv1.RegisterPlayServiceHandler, Policy: PlayPolicy},
		{Register: stats.Register, Gateway: quizv1.RegisterQuizStatsServiceHandler, Policy: StatsPolicy},
	}
}
