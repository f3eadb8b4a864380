package survey

import (
	"time"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
)

// PseudonymKeyPurpose names the key respondents' identifiers are hashed
// with (rpc.Deps.SubKey); a separate key from the quiz's so the same phone
// number gives unrelated pseudonyms in the two domains.
const PseudonymKeyPurpose = "survey respondent v1"

// Service is the questionnaire domain over one database, built once per
// process by New.
type Service struct {
	base
	Questionnaires *Questionnaires
	Campaigns      *Campaigns
	Responses      *Responses
}

// ServiceOption changes how New builds the service. There are none yet;
// the type keeps New's shape the same as every other domain's.
type ServiceOption func(*Service)

// New builds the questionnaire service from the process dependencies; it
// reads the time from d.Clock() and hashes respondents' identifiers with
// d.SubKey(PseudonymKeyPurpose).
func New(d rpc.Deps, opts ...ServiceOption) (*Service, error) {
	b := base{db: d.DB, clock: d.Clock()}
	s := &Service{
		base: b, Questionnaires: &Questionnaires{b}, Campaigns: &Campaigns{b},
		Responses: &Responses{base: b, key: d.SubKey(PseudonymKeyPurpose)},
	}
	s.Responses.batch = store.NewBatchOnce(d.DB, "survey responses", maxResponseBatch, s.Responses.write)
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// Services returns the questionnaire gRPC services over s.
func (s *Service) Services() []rpc.Service {
	return []rpc.Service{
		{Register: (&QuestionnaireHandler{svc: s}).Register, Gateway: surveyv1.RegisterQuestionnaireServiceHandler, Policy: QuestionnairePolicy},
		{Register: (&CampaignHandler{svc: s}).Register, Gateway: surveyv1.RegisterCampaignServiceHandler, Policy: CampaignPolicy},
		{Register: (&ResponseHandler{svc: s}).Register, Gateway: surveyv1.RegisterResponseServiceHandler, Policy: ResponsePolicy},
		{Register: (&ResultHandler{svc: s}).Register, Gateway: surveyv1.RegisterResultServiceHandler, Policy: ResultPolicy},
	}
}

// base is what every part of the service holds: the database and the
// clock.
type base struct {
	db    *store.DB
	clock func() time.Time
}

// now is the service clock at the stored precision.
func (b base) now() time.Time { return store.Stamp(b.clock()) }
