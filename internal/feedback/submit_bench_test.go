package feedback_test

import (
	"testing"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
)

// BenchmarkSubmitRatingGRPC drives SubmitRating through the whole server
// (interceptors, group commit, SQLite with synchronous=FULL) from parallel
// clients; run with -cpuprofile to see where a rating's CPU goes.
func BenchmarkSubmitRatingGRPC(b *testing.B) {
	s := testserver.Start(b, storetest.SQLite(b))
	c := clientsOf(s)
	dept, err := c.targets.CreateTarget(s.Ctx(auth.Admin), &feedbackv1.CreateTargetRequest{
		Kind: feedbackv1.TargetKind_TARGET_KIND_DEPARTMENT, Name: "机关食堂"})
	if err != nil {
		b.Fatal(err)
	}
	ctx := s.Ctx(auth.Kiosk)
	req := &feedbackv1.SubmitRatingRequest{TargetId: dept.GetTarget().GetId(), Level: 4, Channel: feedbackv1.Channel_CHANNEL_KIOSK}
	b.SetParallelism(25) // 50 clients on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.ratings.SubmitRating(ctx, req); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
