package server

import (
	"context"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/quiz"
	"github.com/wenming/wenming/internal/store"
)

// module is one gRPC service: how to register it, its HTTP routes, and who
// may call each of its methods.
type module struct {
	register func(grpc.ServiceRegistrar)
	gateway  func(context.Context, *runtime.ServeMux, *grpc.ClientConn) error
	policy   auth.Policy
}

// modules lists every domain service the process serves. Adding a service
// means adding it here; New refuses to start if any method lacks a rule.
func modules(db *store.DB, deps Deps) []module {
	_ = deps
	questions := quiz.NewQuestionHandler(db)
	return []module{
		{
			register: questions.Register,
			gateway:  quizv1.RegisterQuestionServiceHandler,
			policy:   quiz.QuestionPolicy,
		},
	}
}
