package quiz_test

import (
	"fmt"
	"sync/atomic"
	"testing"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
)

// BenchmarkStartAttemptGRPC starts attempts on a 10-question paper drawn
// by three rules through the whole server (SQLite, synchronous=FULL), one
// new participant per start, from parallel kiosks.
func BenchmarkStartAttemptGRPC(b *testing.B) {
	s := testserver.Start(b, storetest.SQLite(b), withSecret)
	contestID := drawnContest(b, s, 30, 1)
	play := quizv1.NewPlayServiceClient(s.Conn)
	ctx := s.Ctx(auth.Kiosk)
	var next atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := play.StartAttempt(ctx, &quizv1.StartAttemptRequest{
				ContestId: contestID, DisplayName: "压测", Community: "东湖社区",
				ParticipantIdentifier: fmt.Sprintf("139%08d", next.Add(1)),
			}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
