package quiz

import (
	"context"
	"fmt"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
)

// attemptLimitError is the refusal of an attempt beyond the contest's
// limit (reason ATTEMPT_LIMIT_REACHED). Its ErrorInfo carries the limit as
// metadata "attempts_allowed", so a kiosk can tell the player how many
// attempts everyone gets.
func attemptLimitError(contestID string, allowed int) error {
	e := apierr.New(codes.ResourceExhausted, apierr.AttemptLimitReached,
		"this participant has already started the %d attempt(s) contest %s allows", allowed, contestID)
	e.Metadata = map[string]string{"attempts_allowed": fmt.Sprint(allowed)}
	return e
}

// GetKiosk tells a key what it is, for a kiosk's setup screen, and the
// server's clock, for the kiosk's countdown.
func (h *playHandler) GetKiosk(ctx context.Context, _ *quizv1.GetKioskRequest) (*quizv1.GetKioskResponse, error) {
	p := auth.FromContext(ctx)
	return &quizv1.GetKioskResponse{
		KeyName: p.Name, Role: string(p.Role), Community: kioskCommunity(ctx),
		ServerTime: timestamppb.New(h.svc.play.now()),
	}, nil
}
