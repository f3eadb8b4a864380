package survey

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"

	"google.golang.org/protobuf/encoding/protojson"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

// Campaigns runs questionnaires.
type Campaigns struct{ base }

// Campaign is a stored campaign.
type Campaign struct {
	ID         string
	Code       string
	Content    *surveyv1.CampaignContent
	CreateTime int64
}

type campaignRow struct {
	ID         string `db:"id"`
	Code       string `db:"code"`
	Content    string `db:"content"`
	CreateTime int64  `db:"create_time"`
}

func (r campaignRow) campaign() (Campaign, error) {
	c := Campaign{ID: r.ID, Code: r.Code, Content: &surveyv1.CampaignContent{}, CreateTime: r.CreateTime}
	if err := protojson.Unmarshal([]byte(r.Content), c.Content); err != nil {
		return Campaign{}, fmt.Errorf("survey: campaign %s content: %w", r.ID, err)
	}
	return c, nil
}

const selectCampaign = `SELECT id, code, content, create_time FROM svy_campaigns`

// codeAlphabet leaves out characters people confuse on a poster (0/O, 1/l/I).
const codeAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// newCode returns a random 8-character public code (31⁸ ≈ 8.5·10¹¹), so
// codes cannot be enumerated.
func newCode() string {
	b := make([]byte, 8)
	rand.Read(b) // crypto/rand.Read never fails on supported platforms
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// Create stores a campaign over a published questionnaire version inside
// tx. c must have passed validateCampaign.
func (cs *Campaigns) Create(ctx context.Context, tx *store.Tx, c *surveyv1.CampaignContent) (Campaign, error) {
	q, err := getQuestionnaire(ctx, tx, c.GetQuestionnaireId(), int(c.GetQuestionnaireVersion()))
	if errors.Is(err, errNotFound) {
		return Campaign{}, apierr.Field("campaign.questionnaire_version", "questionnaire %s has no version %d",
			c.GetQuestionnaireId(), c.GetQuestionnaireVersion())
	}
	if err != nil {
		return Campaign{}, err
	}
	if q.State != statePublished {
		return Campaign{}, apierr.FailedPrecondition(apierr.QuestionnaireNotPublished, "questionnaire %s version %d is a draft; publish it before running a campaign",
			q.ID, q.Version)
	}
	id, err := newID()
	if err != nil {
		return Campaign{}, err
	}
	out := Campaign{ID: id, Code: newCode(), Content: c, CreateTime: store.Micros(cs.now())}
	content, err := marshalDoc(c)
	if err != nil {
		return Campaign{}, err
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(`INSERT INTO svy_campaigns
		(id, code, title, questionnaire_id, questionnaire_version, start_time, end_time, content, create_time)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		out.ID, out.Code, c.GetTitle(), c.GetQuestionnaireId(), c.GetQuestionnaireVersion(),
		store.Micros(c.GetStartTime().AsTime()), store.Micros(c.GetEndTime().AsTime()), content, out.CreateTime)
	if err != nil {
		return Campaign{}, fmt.Errorf("survey: insert campaign: %w", err)
	}
	return out, nil
}

// Get returns a campaign by id.
func (cs *Campaigns) Get(ctx context.Context, id string) (Campaign, error) {
	return getCampaign(ctx, cs.db.R, `id`, id)
}

// ByCode returns a campaign by its public code.
func (cs *Campaigns) ByCode(ctx context.Context, code string) (Campaign, error) {
	return getCampaign(ctx, cs.db.R, `code`, code)
}

// getCampaign reads one campaign where col (a constant) equals val.
func getCampaign(ctx context.Context, db store.Queryer, col, val string) (Campaign, error) {
	var r campaignRow
	err := db.GetContext(ctx, &r, db.Rebind(selectCampaign+` WHERE `+col+` = ?`), val)
	if errors.Is(err, sql.ErrNoRows) {
		return Campaign{}, apierr.NotFound("campaign", val)
	}
	if err != nil {
		return Campaign{}, fmt.Errorf("survey: get campaign: %w", err)
	}
	return r.campaign()
}

// List returns campaigns newest first.
func (cs *Campaigns) List(ctx context.Context, after string, limit int) ([]Campaign, error) {
	q, args := store.PageDesc(selectCampaign+` WHERE 1 = 1`, nil, "id", after, limit)
	out, err := store.SelectAll(ctx, cs.db.R, campaignRow.campaign, q, args...)
	if err != nil {
		return nil, fmt.Errorf("survey: list campaigns: %w", err)
	}
	return out, nil
}

// Progress is the live count of responses per stratum key.
func (cs *Campaigns) Progress(ctx context.Context, id string) (map[string]int, error) {
	var rows []struct {
		Stratum string `db:"stratum"`
		N       int    `db:"n"`
	}
	err := cs.db.R.SelectContext(ctx, &rows, cs.db.R.Rebind(
		`SELECT stratum, COUNT(*) AS n FROM svy_responses WHERE campaign_id = ? GROUP BY stratum`), id)
	if err != nil {
		return nil, fmt.Errorf("survey: quota progress: %w", err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Stratum] = r.N
	}
	return out, nil
}
