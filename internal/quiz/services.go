package quiz

import (
	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/rpc"
)

// Services returns the quiz gRPC services.
func Services(d rpc.Deps) []rpc.Service {
	questions := NewQuestionHandler(d.DB)
	return []rpc.Service{
		{Register: questions.Register, Gateway: quizv1.RegisterQuestionServiceHandler, Policy: QuestionPolicy},
	}
}
