package survey_test

import (
	"context"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

// Every write refuses bad input with the field named and writes nothing.
func TestBadInputNamesTheFieldAndWritesNothing(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		w := setUp(t, s)
		camp := w.campaign(t, w.sexCampaign())
		admin := s.Ctx(auth.Admin)
		draft, err := w.q.CreateQuestionnaire(admin, &surveyv1.CreateQuestionnaireRequest{Questionnaire: &surveyv1.QuestionnaireContent{
			Title: &surveyv1.Text{Zh: "草稿"},
			Sections: []*surveyv1.Section{{Id: "S", Title: &surveyv1.Text{Zh: "一"}, Questions: []*surveyv1.Question{
				{Id: "Q1", Type: surveyv1.QuestionType_QUESTION_TYPE_LIKERT5, Text: &surveyv1.Text{Zh: "甲"},
					ShowIf: &surveyv1.ShowIf{QuestionId: "Q2", Values: []string{"1"}}},
				{Id: "Q2", Type: surveyv1.QuestionType_QUESTION_TYPE_LIKERT5, Text: &surveyv1.Text{Zh: "乙"}},
			}}},
		}})
		if err != nil {
			t.Fatal(err)
		}
		draftID := draft.GetQuestionnaire().GetId()
		tooLong := ""
		for range 201 {
			tooLong += "长"
		}
		closed := w.sexCampaign()
		closed.StartTime = timestamppb.New(time.Now().Add(-48 * time.Hour))
		closed.EndTime = timestamppb.New(time.Now().Add(-24 * time.Hour))
		closedCamp := w.campaign(t, closed)
		interviewOnly := w.sexCampaign()
		interviewOnly.Channels = []surveyv1.Channel{surveyv1.Channel_CHANNEL_INTERVIEW}
		interviewCamp := w.campaign(t, interviewOnly)

		submit := func(role auth.Role, req *surveyv1.SubmitResponseRequest) error {
			_, err := w.r.SubmitResponse(testserver.KeyCtx(s.Keys[role]), req)
			return err
		}
		ok := []*surveyv1.Answer{choice("Q1", "B"), value("Q3", 3)}
		tests := []struct {
			name   string
			call   func(ctx context.Context) error
			code   codes.Code
			field  string
			reason string // in the field's description, or the error's reason
		}{
			{"create without content", func(ctx context.Context) error {
				_, err := w.q.CreateQuestionnaire(ctx, &surveyv1.CreateQuestionnaireRequest{})
				return err
			}, codes.InvalidArgument, "questionnaire", "required"},
			{"create with a long title", func(ctx context.Context) error {
				_, err := w.q.CreateQuestionnaire(ctx, &surveyv1.CreateQuestionnaireRequest{
					Questionnaire: &surveyv1.QuestionnaireContent{Title: &surveyv1.Text{Zh: tooLong}}})
				return err
			}, codes.InvalidArgument, "questionnaire.title.zh", "limit is 200"},
			{"import a broken file", func(ctx context.Context) error {
				_, err := w.q.ImportQuestionnaire(ctx, &surveyv1.ImportQuestionnaireRequest{Yaml: "title: 甲\nsections:\n  - id: S\n    title: 一\n    questions:\n      - id: Q1\n        type: dial\n        text: 乙\n"})
				return err
			}, codes.InvalidArgument, "yaml", "line 6"},
			{"update a published version", func(ctx context.Context) error {
				_, err := w.q.UpdateQuestionnaire(ctx, &surveyv1.UpdateQuestionnaireRequest{Id: w.qid,
					Questionnaire: &surveyv1.QuestionnaireContent{Title: &surveyv1.Text{Zh: "改"}}})
				return err
			}, codes.FailedPrecondition, "", string(apierr.QuestionnaireStateForbids)},
			{"publish a forward show-if", func(ctx context.Context) error {
				_, err := w.q.PublishQuestionnaire(ctx, &surveyv1.PublishQuestionnaireRequest{Id: draftID})
				return err
			}, codes.FailedPrecondition, "questionnaire.sections[0].questions[0].show_if.question_id", "comes later"},
			{"new version of a draft", func(ctx context.Context) error {
				_, err := w.q.NewQuestionnaireVersion(ctx, &surveyv1.NewQuestionnaireVersionRequest{Id: draftID})
				return err
			}, codes.FailedPrecondition, "", string(apierr.QuestionnaireStateForbids)},
			{"new version without id", func(ctx context.Context) error {
				_, err := w.q.NewQuestionnaireVersion(ctx, &surveyv1.NewQuestionnaireVersionRequest{})
				return err
			}, codes.InvalidArgument, "id", "required"},
			{"campaign ending before it starts", func(ctx context.Context) error {
				c := w.sexCampaign()
				c.EndTime = c.StartTime
				_, err := w.c.CreateCampaign(ctx, &surveyv1.CreateCampaignRequest{Campaign: c})
				return err
			}, codes.InvalidArgument, "campaign.end_time", "after start_time"},
			{"campaign cell with an unknown level", func(ctx context.Context) error {
				c := w.sexCampaign()
				c.Cells[1].Stratum = sex("未知")
				_, err := w.c.CreateCampaign(ctx, &surveyv1.CreateCampaignRequest{Campaign: c})
				return err
			}, codes.InvalidArgument, "campaign.cells[1].stratum[sex]", "not one of"},
			{"campaign shares not summing to 1", func(ctx context.Context) error {
				c := w.sexCampaign()
				c.Cells[1].PopulationShare = 0.4
				_, err := w.c.CreateCampaign(ctx, &surveyv1.CreateCampaignRequest{Campaign: c})
				return err
			}, codes.InvalidArgument, "campaign.cells", "sum to 0.9000"},
			{"campaign over a draft", func(ctx context.Context) error {
				c := w.sexCampaign()
				c.QuestionnaireId = draftID
				_, err := w.c.CreateCampaign(ctx, &surveyv1.CreateCampaignRequest{Campaign: c})
				return err
			}, codes.FailedPrecondition, "", string(apierr.QuestionnaireNotPublished)},
			{"campaign over a missing version", func(ctx context.Context) error {
				c := w.sexCampaign()
				c.QuestionnaireVersion = 7
				_, err := w.c.CreateCampaign(ctx, &surveyv1.CreateCampaignRequest{Campaign: c})
				return err
			}, codes.InvalidArgument, "campaign.questionnaire_version", "no version 7"},
			{"answer to a hidden question", func(context.Context) error {
				return submit("", &surveyv1.SubmitResponseRequest{Code: camp.GetCode(), Stratum: sex("女"),
					Answers: []*surveyv1.Answer{choice("Q1", "B"), choice("Q2", "tv"), value("Q3", 2)}})
			}, codes.InvalidArgument, "answers[1]", "not shown"},
			{"out-of-range scale", func(context.Context) error {
				return submit(auth.Kiosk, &surveyv1.SubmitResponseRequest{CampaignId: camp.GetId(), Stratum: sex("女"),
					Answers: []*surveyv1.Answer{choice("Q1", "B"), value("Q3", 2), value("Q4", 11)}})
			}, codes.InvalidArgument, "answers[2].value", "0 to 10"},
			{"required question missing", func(context.Context) error {
				return submit(auth.Inspector, &surveyv1.SubmitResponseRequest{CampaignId: camp.GetId(), Stratum: sex("女"),
					Answers: []*surveyv1.Answer{choice("Q1", "B")}})
			}, codes.InvalidArgument, "answers[question_id=Q3]", `"Q3" is required`},
			{"stratum missing", func(context.Context) error {
				return submit("", &surveyv1.SubmitResponseRequest{Code: camp.GetCode(), Answers: ok})
			}, codes.InvalidArgument, "stratum[sex]", "required"},
			{"bad respondent identifier", func(context.Context) error {
				return submit("", &surveyv1.SubmitResponseRequest{Code: camp.GetCode(), Stratum: sex("男"), Answers: ok,
					RespondentIdentifier: "电话"})
			}, codes.InvalidArgument, "respondent_identifier", "phone"},
			{"kiosk claiming the interview channel", func(context.Context) error {
				return submit(auth.Kiosk, &surveyv1.SubmitResponseRequest{CampaignId: camp.GetId(), Stratum: sex("男"), Answers: ok,
					Channel: surveyv1.Channel_CHANNEL_INTERVIEW})
			}, codes.InvalidArgument, "channel", "KIOSK"},
			{"neither id nor code", func(context.Context) error {
				return submit("", &surveyv1.SubmitResponseRequest{Stratum: sex("男"), Answers: ok})
			}, codes.InvalidArgument, "campaign_id", "public code"},
			{"window closed", func(context.Context) error {
				return submit("", &surveyv1.SubmitResponseRequest{Code: closedCamp.GetCode(), Stratum: sex("男"), Answers: ok})
			}, codes.FailedPrecondition, "", string(apierr.CampaignNotOpen)},
			{"channel not offered", func(context.Context) error {
				return submit("", &surveyv1.SubmitResponseRequest{Code: interviewCamp.GetCode(), Stratum: sex("男"), Answers: ok})
			}, codes.FailedPrecondition, "", string(apierr.ChannelNotOffered)},
			{"export without a format", func(ctx context.Context) error {
				_, err := w.results.ExportResponses(ctx, &surveyv1.ExportResponsesRequest{CampaignId: camp.GetId()})
				return err
			}, codes.InvalidArgument, "format", "CSV or XLSX"},
		}
		before := rows(t, s.DB)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				err := tt.call(admin)
				got := testserver.BadFields(t, err, tt.code)
				switch {
				case tt.field != "":
					testserver.Mentions(t, got, tt.field, tt.reason)
				case apierr.ReasonOf(err) != apierr.Reason(tt.reason):
					t.Errorf("reason = %q, want %q (%v)", apierr.ReasonOf(err), tt.reason, err)
				}
				if tt.code == codes.InvalidArgument && apierr.ReasonOf(err) != apierr.InvalidArgument {
					t.Errorf("reason = %q, want INVALID_ARGUMENT", apierr.ReasonOf(err))
				}
				if tt.name == "publish a forward show-if" && apierr.ReasonOf(err) != apierr.QuestionnaireNotPublishable {
					t.Errorf("reason = %q, want QUESTIONNAIRE_NOT_PUBLISHABLE", apierr.ReasonOf(err))
				}
			})
		}
		if after := rows(t, s.DB); after != before {
			t.Errorf("refused requests wrote rows: before %v, after %v", before, after)
		}
	})
}
