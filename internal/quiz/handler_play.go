package quiz

import (
	"context"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/paging"
	"github.com/wenming/wenming/internal/store"
)

// playHandler serves wenming.quiz.v1.PlayService.
type playHandler struct {
	quizv1.UnimplementedPlayServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *playHandler) Register(s grpc.ServiceRegistrar) { quizv1.RegisterPlayServiceServer(s, h) }

// playPolicy: kiosks play; analysts may read results and leaderboards.
var playPolicy = auth.Policy{
	quizv1.PlayService_ListOpenContests_FullMethodName: auth.Allow(auth.Kiosk, auth.Analyst),
	quizv1.PlayService_StartAttempt_FullMethodName:     auth.Allow(auth.Kiosk),
	quizv1.PlayService_GetAttempt_FullMethodName:       auth.Allow(auth.Kiosk, auth.Analyst),
	quizv1.PlayService_AnswerQuestion_FullMethodName:   auth.Allow(auth.Kiosk),
	quizv1.PlayService_SubmitAttempt_FullMethodName:    auth.Allow(auth.Kiosk),
	quizv1.PlayService_GetAttemptResult_FullMethodName: auth.Allow(auth.Kiosk, auth.Analyst),
	quizv1.PlayService_GetLeaderboard_FullMethodName:   auth.Allow(auth.Kiosk, auth.Analyst),
	quizv1.PlayService_GetMyRank_FullMethodName:        auth.Allow(auth.Kiosk, auth.Analyst),
	quizv1.PlayService_GetKiosk_FullMethodName:         auth.Allow(auth.Kiosk),
}

// kioskCommunity is the community a kiosk key stands in ("" if none).
func kioskCommunity(ctx context.Context) string {
	if p := auth.FromContext(ctx); p.Role == auth.Kiosk {
		return p.Scope
	}
	return ""
}

// identifier validates and normalises a participant identifier.
func identifier(v *apierr.Violations, field, raw string) string {
	if !v.Required(field, raw) {
		return ""
	}
	norm, ok := NormalizeIdentifier(raw)
	if !ok {
		v.Add(field, "must be a phone or resident card number: %d to %d letters and digits", MinIdentifierLen, MaxIdentifierLen)
	}
	return norm
}

func (h *playHandler) pseudonym(norm string) (string, error) {
	if len(h.svc.key) == 0 {
		return "", apierr.FailedPrecondition(apierr.NoSecretKey,
			"this server has no secret key (serve --secret-key), so it cannot pseudonymise participants; ask the operator to configure one")
	}
	return Pseudonym(h.svc.key, norm), nil
}

func (h *playHandler) ListOpenContests(ctx context.Context, req *quizv1.ListOpenContestsRequest) (*quizv1.ListOpenContestsResponse, error) {
	var v apierr.Violations
	page := paging.Parse(&v, req.GetPageSize(), req.GetPageToken(), 20, 100)
	if err := v.Err(); err != nil {
		return nil, err
	}
	cs, err := h.svc.contests.ListOpen(ctx, kioskCommunity(ctx), page.After, page.Size)
	if err != nil {
		return nil, err
	}
	resp := &quizv1.ListOpenContestsResponse{}
	resp.Contests, resp.NextPageToken = paging.Map(page, cs, contestToProto, func(c contest) string { return c.ID })
	return resp, nil
}

func (h *playHandler) StartAttempt(ctx context.Context, req *quizv1.StartAttemptRequest) (*quizv1.StartAttemptResponse, error) {
	var v apierr.Violations
	v.RequiredText("contest_id", req.GetContestId(), maxIDLen)
	v.RequiredText("display_name", req.GetDisplayName(), maxDisplayNameLen)
	norm := identifier(&v, "participant_identifier", req.GetParticipantIdentifier())
	community := req.GetCommunity()
	if scope := kioskCommunity(ctx); scope != "" {
		if community != "" && community != scope {
			v.Add("community", "this kiosk key belongs to community %q; leave community empty or give that one", scope)
		}
		community = scope
	} else {
		v.RequiredText("community", community, maxCommunityLen)
	}
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	pseudonym, err := h.pseudonym(norm)
	if err != nil {
		return nil, err
	}
	// The request is remembered for request_id retries by its hash; hash
	// the pseudonym, not the raw identifier.
	remembered := proto.Clone(req).(*quizv1.StartAttemptRequest)
	remembered.ParticipantIdentifier = pseudonym
	call := store.Call{
		Method: quizv1.PlayService_StartAttempt_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: remembered,
	}
	who := participant{Pseudonym: pseudonym, DisplayName: req.GetDisplayName(), Community: community, KeyID: auth.FromContext(ctx).ID()}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*quizv1.StartAttemptResponse, error) {
		a, items, err := h.svc.play.Start(ctx, tx, req.GetContestId(), who)
		if err != nil {
			return nil, err
		}
		return &quizv1.StartAttemptResponse{
			Attempt: attemptToProto(a), Questions: paperToProto(items, a.PointsCenti()), AttemptsLeft: int32(a.AttemptsLeft),
		}, nil
	})
}

func (h *playHandler) GetAttempt(ctx context.Context, req *quizv1.GetAttemptRequest) (*quizv1.GetAttemptResponse, error) {
	if err := checkID("attempt_id", req.GetAttemptId()); err != nil {
		return nil, err
	}
	a, items, err := h.svc.play.Get(ctx, req.GetAttemptId())
	if err == nil && !mayReach(auth.FromContext(ctx), a) {
		err = apierr.NotFound("attempt", req.GetAttemptId())
	}
	if err != nil {
		return nil, err
	}
	points := a.PointsCenti()
	return &quizv1.GetAttemptResponse{
		Attempt: attemptToProto(a), Questions: paperToProto(items, points), Answers: answeredToProto(items, points),
	}, nil
}

// expireAfter finishes the attempt when a call failed, in case it failed
// because the deadline passed, so the attempt does not wait for the next
// read. Its own failure is ignored: the next read retries it.
func (h *playHandler) expireAfter(ctx context.Context, attemptID string, err error) error {
	if err != nil {
		_, _ = h.svc.play.Expire(ctx, attemptID)
	}
	return err
}

func (h *playHandler) AnswerQuestion(ctx context.Context, req *quizv1.AnswerQuestionRequest) (*quizv1.AnswerQuestionResponse, error) {
	var v apierr.Violations
	v.RequiredText("attempt_id", req.GetAttemptId(), maxIDLen)
	if req.GetIndex() < 0 {
		v.Add("index", "must not be negative")
	}
	if len(req.GetChosenKeys()) == 0 {
		v.Add("chosen_keys", "choose at least one option")
	}
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	call := store.Call{
		Method: quizv1.PlayService_AnswerQuestion_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	resp, err := store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*quizv1.AnswerQuestionResponse, error) {
		it, a, err := h.svc.play.Answer(onlyReachable(ctx), tx, req.GetAttemptId(), int(req.GetIndex()), req.GetChosenKeys())
		if err != nil {
			return nil, err
		}
		return &quizv1.AnswerQuestionResponse{Result: answerResultToProto(it, a.PointsCenti()), Attempt: attemptToProto(a)}, nil
	})
	return resp, h.expireAfter(ctx, req.GetAttemptId(), err)
}

func (h *playHandler) SubmitAttempt(ctx context.Context, req *quizv1.SubmitAttemptRequest) (*quizv1.SubmitAttemptResponse, error) {
	var v apierr.Violations
	v.RequiredText("attempt_id", req.GetAttemptId(), maxIDLen)
	answers := make([]answerIn, len(req.GetAnswers()))
	for i, a := range req.GetAnswers() {
		answers[i] = answerIn{Index: int(a.GetIndex()), Chosen: a.GetChosenKeys()}
	}
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	call := store.Call{
		Method: quizv1.PlayService_SubmitAttempt_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	resp, err := store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*quizv1.SubmitAttemptResponse, error) {
		a, items, err := h.svc.play.Submit(onlyReachable(ctx), tx, req.GetAttemptId(), answers)
		if err != nil {
			return nil, err
		}
		return &quizv1.SubmitAttemptResponse{Attempt: attemptToProto(a), Answers: answeredToProto(items, a.PointsCenti())}, nil
	})
	return resp, h.expireAfter(ctx, req.GetAttemptId(), err)
}

func (h *playHandler) GetAttemptResult(ctx context.Context, req *quizv1.GetAttemptResultRequest) (*quizv1.GetAttemptResultResponse, error) {
	if err := checkID("attempt_id", req.GetAttemptId()); err != nil {
		return nil, err
	}
	a, items, err := h.svc.play.Get(ctx, req.GetAttemptId())
	if err == nil && !mayReach(auth.FromContext(ctx), a) {
		err = apierr.NotFound("attempt", req.GetAttemptId())
	}
	if err != nil {
		return nil, err
	}
	if a.State == inProgress {
		return nil, apierr.FailedPrecondition(apierr.AttemptStateForbids, "attempt %s is still in progress until %s; submit it to see the result",
			a.ID, a.Deadline.Format(time.RFC3339))
	}
	points := a.PointsCenti()
	resp := &quizv1.GetAttemptResultResponse{Attempt: attemptToProto(a), Review: reviewToProto(items, points)}
	s, found, _, err := h.svc.play.Rank(ctx, a.ContestID, a.Pseudonym, "")
	if err != nil {
		return nil, err
	}
	if found {
		resp.Rank = int32(s.Rank)
	}
	return resp, nil
}

func (h *playHandler) GetLeaderboard(ctx context.Context, req *quizv1.GetLeaderboardRequest) (*quizv1.GetLeaderboardResponse, error) {
	var v apierr.Violations
	v.RequiredText("contest_id", req.GetContestId(), maxIDLen)
	v.Text("community", req.GetCommunity(), maxCommunityLen)
	page := paging.Parse(&v, req.GetPageSize(), req.GetPageToken(), 20, 500)
	var after *standingKey
	if page.After != "" {
		k, ok := parseStandingKey(page.After)
		if !ok {
			v.Add("page_token", "is not a token returned by this list; start again without it")
		}
		after = &k
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	standings, total, err := h.svc.play.Leaderboard(ctx, req.GetContestId(), req.GetCommunity(), after, page.Size)
	if err != nil {
		return nil, err
	}
	resp := &quizv1.GetLeaderboardResponse{TotalSize: int32(total)}
	resp.Entries, resp.NextPageToken = paging.Map(page, standings, standingToProto, func(s standing) string {
		return standingKey{NegScore: -s.ScoreCenti, TimeUsed: s.TimeUsed.Microseconds(),
			FinishTime: store.Micros(s.FinishTime), AttemptID: s.AttemptID, Rank: s.Rank}.String()
	})
	if hideAttemptIDs(ctx) {
		for _, e := range resp.Entries {
			e.AttemptId = ""
		}
	}
	return resp, nil
}

// hideAttemptIDs: a leaderboard shown on a kiosk carries no attempt ids,
// which would tell it where other kiosks' attempts are.
func hideAttemptIDs(ctx context.Context) bool { return auth.FromContext(ctx).Role == auth.Kiosk }

func (h *playHandler) GetMyRank(ctx context.Context, req *quizv1.GetMyRankRequest) (*quizv1.GetMyRankResponse, error) {
	var v apierr.Violations
	v.RequiredText("contest_id", req.GetContestId(), maxIDLen)
	v.Text("community", req.GetCommunity(), maxCommunityLen)
	norm := ""
	switch {
	case req.GetParticipantIdentifier() != "" && req.GetAttemptId() != "":
		v.Add("attempt_id", "give either participant_identifier or attempt_id, not both")
	case req.GetAttemptId() != "":
		v.Text("attempt_id", req.GetAttemptId(), maxIDLen)
	default:
		norm = identifier(&v, "participant_identifier", req.GetParticipantIdentifier())
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var pseudonym string
	if req.GetAttemptId() != "" {
		a, err := reachable(ctx, h.svc.db.R, req.GetAttemptId())
		if err == nil && a.ContestID != req.GetContestId() {
			err = apierr.NotFound("attempt", req.GetAttemptId())
		}
		if err != nil {
			return nil, err
		}
		pseudonym = a.Pseudonym
	} else {
		var err error
		if p := auth.FromContext(ctx); p.Role == auth.Kiosk {
			if err := h.svc.ranks.allow(p.KeyID); err != nil {
				return nil, err
			}
		}
		if pseudonym, err = h.pseudonym(norm); err != nil {
			return nil, err
		}
	}
	s, found, total, err := h.svc.play.Rank(ctx, req.GetContestId(), pseudonym, req.GetCommunity())
	if err != nil {
		return nil, err
	}
	resp := &quizv1.GetMyRankResponse{TotalSize: int32(total)}
	if found {
		resp.Entry = standingToProto(s)
		if hideAttemptIDs(ctx) {
			resp.Entry.AttemptId = ""
		}
	}
	return resp, nil
}
