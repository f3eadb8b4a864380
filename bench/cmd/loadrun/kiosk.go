package main

import (
	"context"
	"fmt"
	"sync/atomic"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/wenming/wenming/bench/internal/datagen"
	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
)

// gameNonce keeps participant identifiers unique across the games of one
// run (each contest allows one attempt per participant).
var gameNonce atomic.Int64

// runGames plays whole kiosk games back to back on cfg.concurrency kiosks:
// StartAttempt for a new participant, AnswerQuestion for each of the 10
// questions in order, then SubmitAttempt. RPS counts finished games and the
// latencies are per game (12 calls); a game with any failed call is an
// error. The first failure is returned when every game failed.
func runGames(ctx context.Context, cfg *config, s *server, c datagen.Contest, tag string) (measurement, error) {
	conns, err := dialConns(cfg, s)
	if err != nil {
		return measurement{}, err
	}
	defer closeConns(conns)
	kctx := s.as(ctx, "kiosk")
	run := gameNonce.Add(1)
	var firstErr atomic.Pointer[error]
	m := closedLoop(kctx, cfg.concurrency, cfg.duration, func(ctx context.Context, w, n int) error {
		err := playGame(ctx, quizv1.NewPlayServiceClient(conns[w%len(conns)]), c,
			fmt.Sprintf("BENCH%s%04d%03d%07d", tagDigits(tag), run, w, n), c.Communities[w%len(c.Communities)])
		if err != nil {
			firstErr.CompareAndSwap(nil, &err)
		}
		return err
	})
	if m.Count > 0 && m.Errors == m.Count {
		return m, *firstErr.Load()
	}
	return m, nil
}

// dialConns opens cfg.connections gRPC connections to the server (at
// least one); the drivers spread their workers over them.
func dialConns(cfg *config, s *server) ([]*grpc.ClientConn, error) {
	conns := make([]*grpc.ClientConn, 0, max(1, cfg.connections))
	for range max(1, cfg.connections) {
		cc, err := grpc.NewClient(s.grpcAddr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			closeConns(conns)
			return nil, err
		}
		conns = append(conns, cc)
	}
	return conns, nil
}

func closeConns(conns []*grpc.ClientConn) {
	for _, cc := range conns {
		cc.Close()
	}
}

// tagDigits turns a run tag into a few digits for participant identifiers.
func tagDigits(tag string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(tag); i++ {
		h = (h ^ uint32(tag[i])) * 16777619
	}
	return fmt.Sprintf("%05d", h%100000)
}

func playGame(ctx context.Context, pc quizv1.PlayServiceClient, c datagen.Contest, participant, community string) error {
	st, err := pc.StartAttempt(ctx, &quizv1.StartAttemptRequest{
		ContestId: c.ID, DisplayName: "压测" + participant[len(participant)-6:],
		Community: community, ParticipantIdentifier: participant,
	})
	if err != nil {
		return fmt.Errorf("StartAttempt: %w", err)
	}
	id := st.GetAttempt().GetId()
	for _, q := range st.GetQuestions() {
		key := "A"
		if len(q.GetOptions()) > 0 && q.GetIndex()%3 == 2 {
			key = q.GetOptions()[len(q.GetOptions())-1].GetKey() // some wrong answers
		}
		if _, err := pc.AnswerQuestion(ctx, &quizv1.AnswerQuestionRequest{
			AttemptId: id, Index: q.GetIndex(), ChosenKeys: []string{key},
		}); err != nil {
			return fmt.Errorf("AnswerQuestion: %w", err)
		}
	}
	if _, err := pc.SubmitAttempt(ctx, &quizv1.SubmitAttemptRequest{AttemptId: id}); err != nil {
		return fmt.Errorf("SubmitAttempt: %w", err)
	}
	return nil
}
