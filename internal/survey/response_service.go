package survey

import (
	"context"
	"fmt"
	"slices"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

// Responses stores and reads respondents' answers.
type Responses struct {
	base
	// key hashes respondents' identifiers; nil without a server secret.
	key   []byte
	batch *responseBatch
}

// Response is one stored response.
type Response struct {
	ID                   string
	CampaignID           string
	QuestionnaireVersion int
	Channel              surveyv1.Channel
	Stratum              string
	// Respondent is the keyed hash of the identifier, "" when none.
	Respondent string
	RecordedBy string
	Answers    []*surveyv1.Answer
	SubmitTime int64
}

type responseRow struct {
	ID                   string  `db:"id"`
	CampaignID           string  `db:"campaign_id"`
	QuestionnaireVersion int     `db:"questionnaire_version"`
	Channel              string  `db:"channel"`
	Stratum              string  `db:"stratum"`
	Respondent           *string `db:"respondent"`
	RecordedBy           string  `db:"recorded_by"`
	Answers              string  `db:"answers"`
	SubmitTime           int64   `db:"submit_time"`
}

func (r responseRow) response() (Response, error) {
	doc := &surveyv1.Response{}
	if err := protojson.Unmarshal([]byte(r.Answers), doc); err != nil {
		return Response{}, fmt.Errorf("survey: response %s answers: %w", r.ID, err)
	}
	out := Response{
		ID: r.ID, CampaignID: r.CampaignID, QuestionnaireVersion: r.QuestionnaireVersion,
		Channel: surveyv1.Channel(surveyv1.Channel_value[r.Channel]), Stratum: r.Stratum,
		RecordedBy: r.RecordedBy, Answers: doc.GetAnswers(), SubmitTime: r.SubmitTime,
	}
	if r.Respondent != nil {
		out.Respondent = *r.Respondent
	}
	return out, nil
}

// responseJob is one checked response waiting for the group commit, with
// the dimensions its answer is reported with.
type responseJob struct {
	r    Response
	dims []*surveyv1.Dimension
}

// responseBatch is the group commit of SubmitResponse with request-id
// replay: a burst of responses (a kiosk queue, a class filling in the
// public form) costs one transaction, not one each.
type responseBatch = store.BatchOnce[*responseJob, *surveyv1.SubmitResponseResponse]

// maxResponseBatch bounds one group commit.
const maxResponseBatch = 64

// Submit stores a checked response through the group commit under call.
// A second response by the same respondent in the campaign is
// ALREADY_RESPONDED.
func (rs *Responses) Submit(ctx context.Context, r Response, dims []*surveyv1.Dimension, call store.Call) (*surveyv1.SubmitResponseResponse, error) {
	resp, err := rs.batch.Do(ctx, &responseJob{r: r, dims: dims}, call)
	if store.IsUniqueViolation(err) {
		// Another replica wrote the same respondent between our check and
		// our insert.
		return nil, alreadyResponded(r.CampaignID)
	}
	return resp, err
}

func alreadyResponded(campaign string) error {
	return apierr.New(codes.AlreadyExists, apierr.AlreadyResponded,
		"this respondent has already answered campaign %s; one response per person", campaign)
}

// write is the store.WriteFunc of the group commit: it refuses a
// respondent who already answered (stored, or earlier in the batch), gives
// the others ids and the time, and inserts them in multi-row statements.
func (rs *Responses) write(ctx context.Context, tx *store.Tx, jobs []*responseJob) ([]*surveyv1.SubmitResponseResponse, []error, error) {
	resps := make([]*surveyv1.SubmitResponseResponse, len(jobs))
	errs := make([]error, len(jobs))
	seen := map[[2]string]bool{}
	now := store.Micros(rs.now())
	var rows [][]any
	for i, j := range jobs {
		r := j.r
		if r.Respondent != "" {
			k := [2]string{r.CampaignID, r.Respondent}
			var n int
			err := tx.GetContext(ctx, &n, tx.Rebind(
				`SELECT COUNT(*) FROM svy_responses WHERE campaign_id = ? AND respondent = ?`), r.CampaignID, r.Respondent)
			if err != nil {
				return nil, nil, fmt.Errorf("survey: check respondent: %w", err)
			}
			if n > 0 || seen[k] {
				errs[i] = alreadyResponded(r.CampaignID)
				continue
			}
			seen[k] = true
		}
		id, err := newID()
		if err != nil {
			return nil, nil, err
		}
		r.ID, r.SubmitTime = id, now
		answers, err := marshalDoc(&surveyv1.Response{Answers: r.Answers})
		if err != nil {
			return nil, nil, err
		}
		var respondent *string
		if r.Respondent != "" {
			respondent = &r.Respondent
		}
		rows = append(rows, []any{r.ID, r.CampaignID, r.QuestionnaireVersion, r.Channel.String(), r.Stratum,
			respondent, r.RecordedBy, answers, r.SubmitTime})
		resps[i] = &surveyv1.SubmitResponseResponse{Response: responseToProto(r, j.dims)}
	}
	err := store.InsertRows(ctx, tx, "svy_responses", []string{"id", "campaign_id", "questionnaire_version", "channel",
		"stratum", "respondent", "recorded_by", "answers", "submit_time"}, rows)
	if err != nil {
		return nil, nil, fmt.Errorf("survey: insert responses: %w", err)
	}
	return resps, errs, nil
}

const selectResponse = `SELECT id, campaign_id, questionnaire_version, channel, stratum, respondent, recorded_by, answers, submit_time
	FROM svy_responses WHERE campaign_id = ?`

// List returns a campaign's responses oldest first, after the given id.
func (rs *Responses) List(ctx context.Context, campaign, after string, limit int) ([]Response, error) {
	q, args := store.PageAsc(selectResponse, []any{campaign}, "id", after, limit)
	out, err := store.SelectAll(ctx, rs.db.R, responseRow.response, q, args...)
	if err != nil {
		return nil, fmt.Errorf("survey: list responses: %w", err)
	}
	return out, nil
}

// All returns every response of a campaign, oldest first, for results and
// exports.
func (rs *Responses) All(ctx context.Context, campaign string) ([]Response, error) {
	out, err := store.SelectAll(ctx, rs.db.R, responseRow.response, selectResponse+` ORDER BY id`, campaign)
	if err != nil {
		return nil, fmt.Errorf("survey: read responses: %w", err)
	}
	return out, nil
}

// Check decides whether req may be stored as a response to campaign c,
// whose questionnaire version is q, arriving through channel at now: the
// window and channel (FAILED_PRECONDITION), the stratum and the answers
// (INVALID_ARGUMENT naming every field). It returns the response to store,
// answers in questionnaire order.
func (rs *Responses) Check(c Campaign, q Questionnaire, channel surveyv1.Channel, req *surveyv1.SubmitResponseRequest,
	v *apierr.Violations, now time.Time) (Response, error) {
	if !isOpen(c, now) {
		return Response{}, apierr.FailedPrecondition(apierr.CampaignNotOpen, "campaign %s takes responses from %s to %s; it is not open now",
			c.ID, c.Content.GetStartTime().AsTime().Format(time.RFC3339), c.Content.GetEndTime().AsTime().Format(time.RFC3339))
	}
	if !slices.Contains(c.Content.GetChannels(), channel) {
		return Response{}, apierr.FailedPrecondition(apierr.ChannelNotOffered, "campaign %s is not answered through %s", c.ID, channel)
	}
	key, field, msg := stratumKey(c.Content.GetDimensions(), req.GetStratum())
	if msg != "" {
		v.Add("stratum"+field, "%s", msg)
	} else if cells := c.Content.GetCells(); len(cells) > 0 && !listedCell(c.Content, key) {
		v.Add("stratum", "%s is not one of this campaign's strata", key)
	}
	answers := checkAnswers(q.Content, req.GetAnswers(), v)
	if err := v.Err(); err != nil {
		return Response{}, err
	}
	return Response{
		CampaignID: c.ID, QuestionnaireVersion: q.Version, Channel: channel, Stratum: key, Answers: answers,
	}, nil
}

func listedCell(c *surveyv1.CampaignContent, key string) bool {
	for _, cell := range c.GetCells() {
		if k, _, _ := stratumKey(c.GetDimensions(), cell.GetStratum()); k == key {
			return true
		}
	}
	return false
}
