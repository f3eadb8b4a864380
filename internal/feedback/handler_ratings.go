package feedback

import (
	"context"
	"strconv"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store"
)

// RatingHandler serves wenming.feedback.v1.RatingService.
type RatingHandler struct {
	feedbackv1.UnimplementedRatingServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *RatingHandler) Register(s grpc.ServiceRegistrar) {
	feedbackv1.RegisterRatingServiceServer(s, h)
}

// RatingPolicy: the public form needs no key (the chassis rate-limits
// anonymous callers per address); kiosks may submit too.
var RatingPolicy = auth.Policy{
	feedbackv1.RatingService_GetRatingForm_FullMethodName: auth.Public(auth.Kiosk),
	feedbackv1.RatingService_SubmitRating_FullMethodName:  auth.Public(auth.Kiosk),
}

func (h *RatingHandler) GetRatingForm(ctx context.Context, req *feedbackv1.GetRatingFormRequest) (*feedbackv1.GetRatingFormResponse, error) {
	if err := checkID("target_id", req.GetTargetId()); err != nil {
		return nil, err
	}
	rf, err := h.svc.Form(ctx, req.GetTargetId())
	if err != nil {
		return nil, err
	}
	resp := &feedbackv1.GetRatingFormResponse{
		TargetId: rf.Target.ID, TargetName: rf.Target.Name, Form: formToProto(rf.Form),
		MaxCommentLength: MaxCommentLen,
	}
	for i, l := range LevelLabels {
		resp.Levels = append(resp.Levels, &feedbackv1.Level{Value: int32(i + 1), Label: l})
	}
	return resp, nil
}

func ratingFromProto(req *feedbackv1.SubmitRatingRequest) RatingInput {
	in := RatingInput{
		TargetID: req.GetTargetId(), Level: int(req.GetLevel()), Tags: append([]string(nil), req.GetTags()...),
		Comment: req.GetComment(), Contact: req.GetContact(),
	}
	for _, d := range req.GetDimensions() {
		in.Dimensions = append(in.Dimensions, DimLevel{Key: d.GetKey(), Level: int(d.GetLevel())})
	}
	if c := req.GetChannel(); c != feedbackv1.Channel_CHANNEL_UNSPECIFIED {
		var ok bool
		if in.Channel, ok = channelNames[c]; !ok {
			in.Channel = Channel("UNKNOWN(" + strconv.Itoa(int(c)) + ")") // Validate reports it
		}
	}
	in.Normalize()
	return in
}

func (h *RatingHandler) SubmitRating(ctx context.Context, req *feedbackv1.SubmitRatingRequest) (*feedbackv1.SubmitRatingResponse, error) {
	var v apierr.Violations
	in := ratingFromProto(req)
	in.Validate(&v)
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	j, err := h.svc.prepare(in)
	if err != nil {
		return nil, err
	}
	var call store.Call
	if id := req.GetRequestId(); id != "" {
		hashed := req
		if req.GetContact() != "" {
			hashed = proto.CloneOf(req)
			hashed.Contact = contactDigest(h.svc.digestKey, req.GetContact())
		}
		call = store.Call{
			Method: feedbackv1.RatingService_SubmitRating_FullMethodName, Scope: auth.FromContext(ctx).ID(),
			RequestID: id, Request: hashed,
		}
	}
	// Ratings come in bursts (a QR code after a public event), so they share
	// commits with the other submissions waiting for the writer (group
	// commit).
	return h.svc.ingest.Do(ctx, j, call)
}
