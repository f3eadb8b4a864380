package server_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/known/timestamppb"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/testserver"
)

// replayCopies is how many copies of one request are sent at once.
const replayCopies = 20

// Every RPC that takes a request_id, sent 20 times at the same moment with
// the same id and body, writes once and gives 20 identical replies (issue
// 14: StartAttempt used to answer 1 × OK and 9 × RESOURCE_EXHAUSTED on
// PostgreSQL, because its attempt limit was checked before the request id
// was). The RPCs are found in the registry: a new one with a request_id
// fails here until it has a case below.
//
// "Writes once" is measured as rows: the burst must change every table by
// exactly as many rows as one call of the same RPC with fresh content does.
func TestConcurrentCopiesOfOneRequestIDGetOneAnswer(t *testing.T) {
	t.Parallel()
	withSecret := func(d *rpc.Deps) { d.Secret = []byte("0123456789abcdef0123456789abcdef") }
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		r := newReplayWorld(t, s)
		cases := replayCases()
		var missing []string
		walked := 0
		protoregistry.GlobalFiles.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
			if !strings.HasPrefix(string(fd.Package()), "wenming.") {
				return true
			}
			for i := 0; i < fd.Services().Len(); i++ {
				svc := fd.Services().Get(i)
				for j := 0; j < svc.Methods().Len(); j++ {
					md := svc.Methods().Get(j)
					if md.Input().Fields().ByName("request_id") == nil {
						continue
					}
					name := "/" + string(svc.FullName()) + "/" + string(md.Name())
					c, ok := cases[string(md.Name())]
					if !ok {
						missing = append(missing, name)
						continue
					}
					walked++
					t.Run(string(md.Name()), func(t *testing.T) { r.burst(t, name, md, c) })
				}
			}
			return true
		})
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("RPCs with a request_id and no concurrent-replay case (add one to replayCases):\n%s",
				strings.Join(missing, "\n"))
		}
		if walked < 20 {
			t.Errorf("walked %d RPCs with a request_id; the registry should hold at least 20", walked)
		}
	}, withSecret)
}

// replayCase builds a valid request of one RPC; n makes its content fresh
// (a new participant, site, name…). Whatever the request needs to exist
// first (an attempt to answer, an inspection to amend) build creates
// through the API before the rows are counted.
type replayCase struct {
	role  auth.Role
	build func(t *testing.T, r *replayWorld, n int) proto.Message
}

type replayWorld struct {
	s        *testserver.Server
	deptID   string
	quizIDs  []string
	contest  string
	frame    string
	version  int32
	qnID     string
	campaign string
	officer  context.Context
	now      time.Time
	tables   []string
}

const replayQuestions = `
questions:
  - category: 公共秩序
    type: SINGLE_CHOICE
    stem: 在公交车站等车时，正确的做法是？
    options: [依次排队，先下后上, 车来了再往前挤]
    correct: [A]
  - category: 交通出行
    type: TRUE_FALSE
    stem: 行人过马路应走人行横道。
    correct: [A]
`

func newReplayWorld(t *testing.T, s *testserver.Server) *replayWorld {
	t.Helper()
	ctx := s.Ctx(auth.Admin)
	r := &replayWorld{s: s, now: time.Now()}
	tc := feedbackv1.NewTargetServiceClient(s.Conn)
	dep, err := tc.CreateTarget(ctx, &feedbackv1.CreateTargetRequest{Kind: feedbackv1.TargetKind_TARGET_KIND_DEPARTMENT, Name: "政务服务中心"})
	if err != nil {
		t.Fatal(err)
	}
	win, err := tc.CreateTarget(ctx, &feedbackv1.CreateTargetRequest{
		Kind: feedbackv1.TargetKind_TARGET_KIND_WINDOW, Name: "1号窗口", ParentId: dep.GetTarget().GetId()})
	if err != nil {
		t.Fatal(err)
	}
	r.deptID = dep.GetTarget().GetId()
	_ = win
	// The sites' unit is this department, so its officer can report the
	// rectification tasks an official round opens.
	if _, err := civindexv1.NewSupervisionServiceClient(s.Conn).SetUnit(ctx, &civindexv1.SetUnitRequest{
		Unit: &civindexv1.Unit{Name: siteContent(0).GetUnit(), DepartmentId: r.deptID}}); err != nil {
		t.Fatal(err)
	}
	r.officer = testserver.KeyCtx(s.NewKey(t, auth.Officer, r.deptID))

	imp, err := quizv1.NewQuestionServiceClient(s.Conn).ImportQuestions(ctx, &quizv1.ImportQuestionsRequest{
		Format: quizv1.ImportFormat_IMPORT_FORMAT_YAML, Content: replayQuestions})
	if err != nil {
		t.Fatal(err)
	}
	r.quizIDs = imp.GetQuestionIds()
	r.contest = r.newContest(t, 0)

	fc := civindexv1.NewFrameworkServiceClient(s.Conn)
	r.frame, r.version = r.newFramework(t, fc, 0)

	qc := surveyv1.NewQuestionnaireServiceClient(s.Conn)
	y, err := os.ReadFile("../survey/testdata/town.yaml")
	if err != nil {
		t.Fatal(err)
	}
	qn, err := qc.ImportQuestionnaire(ctx, &surveyv1.ImportQuestionnaireRequest{Yaml: string(y)})
	if err != nil {
		t.Fatal(err)
	}
	r.qnID = qn.GetQuestionnaire().GetId()
	if _, err := qc.PublishQuestionnaire(ctx, &surveyv1.PublishQuestionnaireRequest{Id: r.qnID}); err != nil {
		t.Fatal(err)
	}
	camp, err := surveyv1.NewCampaignServiceClient(s.Conn).CreateCampaign(ctx, &surveyv1.CreateCampaignRequest{Campaign: r.campaignContent(0)})
	if err != nil {
		t.Fatal(err)
	}
	r.campaign = camp.GetCampaign().GetId()

	tables, err := store.Tables(context.Background(), s.DB)
	if err != nil {
		t.Fatal(err)
	}
	r.tables = tables
	return r
}

// newWindow creates a department with one window and returns the window.
func (r *replayWorld) newWindow(t *testing.T, n int) string {
	t.Helper()
	ctx := r.s.Ctx(auth.Admin)
	tc := feedbackv1.NewTargetServiceClient(r.s.Conn)
	dep, err := tc.CreateTarget(ctx, &feedbackv1.CreateTargetRequest{Kind: feedbackv1.TargetKind_TARGET_KIND_DEPARTMENT,
		Name: fmt.Sprintf("第%d政务服务中心", n)})
	if err != nil {
		t.Fatal(err)
	}
	win, err := tc.CreateTarget(ctx, &feedbackv1.CreateTargetRequest{
		Kind: feedbackv1.TargetKind_TARGET_KIND_WINDOW, Name: "1号窗口", ParentId: dep.GetTarget().GetId()})
	if err != nil {
		t.Fatal(err)
	}
	return win.GetTarget().GetId()
}

// newContest publishes a contest over the two questions that allows one
// attempt per participant: a second attempt is RESOURCE_EXHAUSTED.
func (r *replayWorld) newContest(t *testing.T, n int) string {
	t.Helper()
	ctx := r.s.Ctx(auth.Admin)
	cc := quizv1.NewContestServiceClient(r.s.Conn)
	c, err := cc.CreateContest(ctx, &quizv1.CreateContestRequest{Contest: r.contestSettings(n)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cc.PublishContest(ctx, &quizv1.PublishContestRequest{Id: c.GetContest().GetId()}); err != nil {
		t.Fatal(err)
	}
	return c.GetContest().GetId()
}

func (r *replayWorld) contestSettings(n int) *quizv1.ContestSettings {
	return &quizv1.ContestSettings{
		Title: fmt.Sprintf("文明礼仪知识竞赛%d", n), Organiser: "东湖街道文明办",
		StartTime: timestamppb.New(r.now.Add(-time.Hour)), EndTime: timestamppb.New(r.now.Add(24 * time.Hour)),
		Paper:            &quizv1.PaperRule{Rule: &quizv1.PaperRule_Fixed{Fixed: &quizv1.FixedPaper{QuestionIds: r.quizIDs}}},
		TimeLimitSeconds: 3600, AttemptsAllowed: 1, PointsPerQuestion: 10,
	}
}

func frameworkContent(n int) *civindexv1.FrameworkContent {
	return &civindexv1.FrameworkContent{Name: fmt.Sprintf("测评体系%d", n), Dimensions: []*civindexv1.Dimension{{
		Id: "D1", Name: "环境卫生", Indicators: []*civindexv1.Indicator{{Id: "D1.1", Name: "整洁", Items: []*civindexv1.CheckItem{
			{Id: "A1", Name: "无垃圾", MaxPoints: 2, Method: civindexv1.ScoringMethod_SCORING_METHOD_BINARY},
		}}},
	}}}
}

func (r *replayWorld) newFramework(t *testing.T, fc civindexv1.FrameworkServiceClient, n int) (string, int32) {
	t.Helper()
	ctx := r.s.Ctx(auth.Admin)
	f, err := fc.CreateFramework(ctx, &civindexv1.CreateFrameworkRequest{Framework: frameworkContent(n)})
	if err != nil {
		t.Fatal(err)
	}
	p, err := fc.PublishFramework(ctx, &civindexv1.PublishFrameworkRequest{Id: f.GetFramework().GetId()})
	if err != nil {
		t.Fatal(err)
	}
	return f.GetFramework().GetId(), p.GetFramework().GetVersion()
}

func siteContent(n int) *civindexv1.SiteContent {
	return &civindexv1.SiteContent{Name: fmt.Sprintf("东湖社区%d", n),
		Category: civindexv1.SiteCategory_SITE_CATEGORY_RESIDENTIAL_COMMUNITY, Unit: "东湖街道"}
}

func (r *replayWorld) roundRequest(siteIDs []string, n int) *civindexv1.CreateRoundRequest {
	return &civindexv1.CreateRoundRequest{
		Name: fmt.Sprintf("第%d轮自查", n), Kind: civindexv1.RoundKind_ROUND_KIND_SELF_CHECK,
		FrameworkId: r.frame, FrameworkVersion: r.version,
		StartTime: timestamppb.New(r.now.Add(-time.Hour)), EndTime: timestamppb.New(r.now.Add(24 * time.Hour)),
		SiteIds: siteIDs,
	}
}

// openRound creates a site and an open round over it.
func (r *replayWorld) openRound(t *testing.T, n int) (roundID, siteID string) {
	t.Helper()
	ctx := r.s.Ctx(auth.Admin)
	site, err := civindexv1.NewSiteServiceClient(r.s.Conn).CreateSite(ctx, &civindexv1.CreateSiteRequest{Site: siteContent(1000 + n)})
	if err != nil {
		t.Fatal(err)
	}
	rc := civindexv1.NewRoundServiceClient(r.s.Conn)
	round, err := rc.CreateRound(ctx, r.roundRequest([]string{site.GetSite().GetId()}, 1000+n))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rc.OpenRound(ctx, &civindexv1.OpenRoundRequest{Id: round.GetRound().GetId()}); err != nil {
		t.Fatal(err)
	}
	return round.GetRound().GetId(), site.GetSite().GetId()
}

func (r *replayWorld) campaignContent(n int) *surveyv1.CampaignContent {
	return &surveyv1.CampaignContent{
		Title: fmt.Sprintf("居民问卷%d", n), QuestionnaireId: r.qnID, QuestionnaireVersion: 1,
		StartTime: timestamppb.New(r.now.Add(-time.Hour)), EndTime: timestamppb.New(r.now.Add(24 * time.Hour)),
		Channels:   []surveyv1.Channel{surveyv1.Channel_CHANNEL_KIOSK},
		Dimensions: []*surveyv1.Dimension{{Name: "sex", Label: "您的性别", Levels: []string{"男", "女"}}},
		Cells: []*surveyv1.Cell{
			{Stratum: map[string]string{"sex": "男"}, Target: 3, PopulationShare: 0.5},
			{Stratum: map[string]string{"sex": "女"}, Target: 3, PopulationShare: 0.5},
		},
	}
}

// startAttempt starts an attempt of a new participant.
func (r *replayWorld) startAttempt(t *testing.T, n int) string {
	t.Helper()
	a, err := quizv1.NewPlayServiceClient(r.s.Conn).StartAttempt(r.s.Ctx(auth.Kiosk), startRequest(r.contest, n))
	if err != nil {
		t.Fatal(err)
	}
	return a.GetAttempt().GetId()
}

// startRequest plays for a community of its own: StartAttempt counts the
// attempt on its community's day (quiz_participation), a new row for a
// new community, so one call and a burst change the same rows.
func startRequest(contest string, n int) *quizv1.StartAttemptRequest {
	return &quizv1.StartAttemptRequest{ContestId: contest, DisplayName: fmt.Sprintf("居民%d", n),
		Community: fmt.Sprintf("东湖社区%d", n), ParticipantIdentifier: fmt.Sprintf("1380000%04d", n)}
}

func replayCases() map[string]replayCase {
	seen := 0
	fresh := func(n int) int { seen++; return n*100 + seen } // unique across cases and calls
	return map[string]replayCase{
		// feedback
		"CreateTarget": {auth.Admin, func(t *testing.T, r *replayWorld, n int) proto.Message {
			return &feedbackv1.CreateTargetRequest{Kind: feedbackv1.TargetKind_TARGET_KIND_DEPARTMENT,
				Name: fmt.Sprintf("第%d服务中心", fresh(n))}
		}},
		"SubmitRating": {auth.Kiosk, func(t *testing.T, r *replayWorld, n int) proto.Message {
			// A target of its own, so its daily and monthly rows are new
			// for both calls; level 1 opens a case too: more rows to write once.
			return &feedbackv1.SubmitRatingRequest{TargetId: r.newWindow(t, fresh(n)), Level: 1, Channel: feedbackv1.Channel_CHANNEL_KIOSK,
				Comment: fmt.Sprintf("等了很久%d", fresh(n))}
		}},
		// quiz
		"CreateQuestion": {auth.Admin, func(t *testing.T, r *replayWorld, n int) proto.Message {
			return &quizv1.CreateQuestionRequest{Question: &quizv1.QuestionContent{
				Category: "公共秩序", Type: quizv1.QuestionType_QUESTION_TYPE_TRUE_FALSE,
				Stem: fmt.Sprintf("乘坐电梯应先出后进。（%d）", fresh(n)), CorrectKeys: []string{"A"},
			}}
		}},
		"ImportQuestions": {auth.Admin, func(t *testing.T, r *replayWorld, n int) proto.Message {
			return &quizv1.ImportQuestionsRequest{Format: quizv1.ImportFormat_IMPORT_FORMAT_YAML,
				Content: strings.ReplaceAll(replayQuestions, "？", fmt.Sprintf("（%d）？", fresh(n)))}
		}},
		"CreateContest": {auth.Admin, func(t *testing.T, r *replayWorld, n int) proto.Message {
			return &quizv1.CreateContestRequest{Contest: r.contestSettings(fresh(n))}
		}},
		"StartAttempt": {auth.Kiosk, func(t *testing.T, r *replayWorld, n int) proto.Message {
			return startRequest(r.contest, fresh(n))
		}},
		"AnswerQuestion": {auth.Kiosk, func(t *testing.T, r *replayWorld, n int) proto.Message {
			return &quizv1.AnswerQuestionRequest{AttemptId: r.startAttempt(t, fresh(n)), Index: 0, ChosenKeys: []string{"A"}}
		}},
		"SubmitAttempt": {auth.Kiosk, func(t *testing.T, r *replayWorld, n int) proto.Message {
			// A contest of its own, so its leaderboard counts are new for
			// both calls.
			k := fresh(n)
			r.contest = r.newContest(t, k)
			return &quizv1.SubmitAttemptRequest{AttemptId: r.startAttempt(t, k), Answers: []*quizv1.PaperAnswer{
				{Index: 0, ChosenKeys: []string{"A"}}, {Index: 1, ChosenKeys: []string{"B"}}}}
		}},
		// civility index
		"CreateFramework": {auth.Admin, func(t *testing.T, r *replayWorld, n int) proto.Message {
			return &civindexv1.CreateFrameworkRequest{Framework: frameworkContent(fresh(n))}
		}},
		"NewFrameworkVersion": {auth.Admin, func(t *testing.T, r *replayWorld, n int) proto.Message {
			id, _ := r.newFramework(t, civindexv1.NewFrameworkServiceClient(r.s.Conn), fresh(n))
			return &civindexv1.NewFrameworkVersionRequest{Id: id}
		}},
		"CreateSite": {auth.Admin, func(t *testing.T, r *replayWorld, n int) proto.Message {
			return &civindexv1.CreateSiteRequest{Site: siteContent(fresh(n))}
		}},
		"ImportSites": {auth.Admin, func(t *testing.T, r *replayWorld, n int) proto.Message {
			k := fresh(n)
			return &civindexv1.ImportSitesRequest{Csv: fmt.Sprintf(
				"name,category,unit\n西山社区%d,RESIDENTIAL_COMMUNITY,西山街道\n南门广场%d,PARK,南门街道\n", k, k)}
		}},
		"CreateRound": {auth.Admin, func(t *testing.T, r *replayWorld, n int) proto.Message {
			k := fresh(n)
			site, err := civindexv1.NewSiteServiceClient(r.s.Conn).CreateSite(r.s.Ctx(auth.Admin),
				&civindexv1.CreateSiteRequest{Site: siteContent(2000 + k)})
			if err != nil {
				t.Fatal(err)
			}
			return r.roundRequest([]string{site.GetSite().GetId()}, k)
		}},
		"SubmitInspection": {auth.Inspector, func(t *testing.T, r *replayWorld, n int) proto.Message {
			round, site := r.openRound(t, fresh(n))
			return &civindexv1.SubmitInspectionRequest{RoundId: round, SiteId: site,
				Results: []*civindexv1.ItemResult{{ItemId: "A1", Met: true}}}
		}},
		"AmendInspection": {auth.Inspector, func(t *testing.T, r *replayWorld, n int) proto.Message {
			round, site := r.openRound(t, fresh(n))
			ins, err := civindexv1.NewInspectionServiceClient(r.s.Conn).SubmitInspection(r.s.Ctx(auth.Inspector),
				&civindexv1.SubmitInspectionRequest{RoundId: round, SiteId: site, Results: []*civindexv1.ItemResult{{ItemId: "A1", Met: true}}})
			if err != nil {
				t.Fatal(err)
			}
			return &civindexv1.AmendInspectionRequest{Id: ins.GetInspection().GetId(), Reason: "复核照片后更正",
				Results: []*civindexv1.ItemResult{{ItemId: "A1", Met: false}}}
		}},
		// supervision
		"CommitDraw": {auth.Admin, func(t *testing.T, r *replayWorld, n int) proto.Message {
			return r.commitDraw(t, fresh(n))
		}},
		"RevealDraw": {auth.Admin, func(t *testing.T, r *replayWorld, n int) proto.Message {
			k := fresh(n)
			d, err := civindexv1.NewSupervisionServiceClient(r.s.Conn).CommitDraw(r.s.Ctx(auth.Admin), r.commitDraw(t, k))
			if err != nil {
				t.Fatal(err)
			}
			return &civindexv1.RevealDrawRequest{Id: d.GetDraw().GetId(), Seed: drawSeed(k), Round: &civindexv1.DrawRound{
				Name: fmt.Sprintf("第%d轮抽查", k), FrameworkId: r.frame, FrameworkVersion: r.version,
				StartTime: timestamppb.New(r.now.Add(-time.Hour)), EndTime: timestamppb.New(r.now.Add(24 * time.Hour))}}
		}},
		"ReportRectified": {auth.Officer, func(t *testing.T, r *replayWorld, n int) proto.Message {
			return &civindexv1.ReportRectifiedRequest{Id: r.rectificationTask(t, fresh(n)), Note: "已整改"}
		}},
		"CreateScorecard": {auth.Admin, func(t *testing.T, r *replayWorld, n int) proto.Message {
			// Each call drafts the year's next version: one row either way.
			return &civindexv1.CreateScorecardRequest{Year: 2026, Weights: &civindexv1.ScorecardWeights{
				Civility: 40, Satisfaction: 20, CasesInTime: 15, Rectification: 15, Quiz: 10}}
		}},
		// questionnaires
		"CreateQuestionnaire": {auth.Admin, func(t *testing.T, r *replayWorld, n int) proto.Message {
			return &surveyv1.CreateQuestionnaireRequest{Questionnaire: &surveyv1.QuestionnaireContent{
				Title: &surveyv1.Text{Zh: fmt.Sprintf("问卷%d", fresh(n))}}}
		}},
		"ImportQuestionnaire": {auth.Admin, func(t *testing.T, r *replayWorld, n int) proto.Message {
			y, err := os.ReadFile("../survey/testdata/town.yaml")
			if err != nil {
				t.Fatal(err)
			}
			return &surveyv1.ImportQuestionnaireRequest{Yaml: strings.Replace(string(y),
				"社区文明创建居民问卷", fmt.Sprintf("社区文明创建居民问卷%d", fresh(n)), 1)}
		}},
		"NewQuestionnaireVersion": {auth.Admin, func(t *testing.T, r *replayWorld, n int) proto.Message {
			// Each call needs a published questionnaire of its own.
			qc := surveyv1.NewQuestionnaireServiceClient(r.s.Conn)
			ctx := r.s.Ctx(auth.Admin)
			y, err := os.ReadFile("../survey/testdata/town.yaml")
			if err != nil {
				t.Fatal(err)
			}
			q, err := qc.ImportQuestionnaire(ctx, &surveyv1.ImportQuestionnaireRequest{Yaml: strings.Replace(string(y),
				"社区文明创建居民问卷", fmt.Sprintf("版本问卷%d", fresh(n)), 1)})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := qc.PublishQuestionnaire(ctx, &surveyv1.PublishQuestionnaireRequest{Id: q.GetQuestionnaire().GetId()}); err != nil {
				t.Fatal(err)
			}
			return &surveyv1.NewQuestionnaireVersionRequest{Id: q.GetQuestionnaire().GetId()}
		}},
		"CreateCampaign": {auth.Admin, func(t *testing.T, r *replayWorld, n int) proto.Message {
			return &surveyv1.CreateCampaignRequest{Campaign: r.campaignContent(fresh(n))}
		}},
		"SubmitResponse": {auth.Kiosk, func(t *testing.T, r *replayWorld, n int) proto.Message {
			v := float64(1 + fresh(n)%5)
			return &surveyv1.SubmitResponseRequest{CampaignId: r.campaign, Channel: surveyv1.Channel_CHANNEL_KIOSK,
				Stratum: map[string]string{"sex": "女"},
				Answers: []*surveyv1.Answer{{QuestionId: "Q1", Choices: []string{"B"}}, {QuestionId: "Q3", Value: &v}}}
		}},
	}
}

// drawSeed is a hex seed of 32 bytes that differs for every k.
func drawSeed(k int) string {
	return fmt.Sprintf("%064x", k+1)
}

// commitDraw is a draw of one site out of a new one, committed to
// drawSeed(k).
func (r *replayWorld) commitDraw(t *testing.T, k int) *civindexv1.CommitDrawRequest {
	t.Helper()
	site, err := civindexv1.NewSiteServiceClient(r.s.Conn).CreateSite(r.s.Ctx(auth.Admin), &civindexv1.CreateSiteRequest{Site: siteContent(4000 + k)})
	if err != nil {
		t.Fatal(err)
	}
	seed, err := hex.DecodeString(drawSeed(k))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(seed)
	return &civindexv1.CommitDrawRequest{Name: fmt.Sprintf("第%d次抽查", k), Strata: civindexv1.DrawStrata_DRAW_STRATA_CATEGORY,
		SiteIds: []string{site.GetSite().GetId()}, Allocation: &civindexv1.DrawAllocation{Total: 1}, Commitment: hex.EncodeToString(sum[:])}
}

// rectificationTask closes an official round whose one site fails A1 and
// returns the rectification task that opens.
func (r *replayWorld) rectificationTask(t *testing.T, k int) string {
	t.Helper()
	ctx := r.s.Ctx(auth.Admin)
	site, err := civindexv1.NewSiteServiceClient(r.s.Conn).CreateSite(ctx, &civindexv1.CreateSiteRequest{Site: siteContent(3000 + k)})
	if err != nil {
		t.Fatal(err)
	}
	rc := civindexv1.NewRoundServiceClient(r.s.Conn)
	req := r.roundRequest([]string{site.GetSite().GetId()}, 3000+k)
	req.Kind = civindexv1.RoundKind_ROUND_KIND_OFFICIAL
	round, err := rc.CreateRound(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	id := round.GetRound().GetId()
	if _, err := rc.OpenRound(ctx, &civindexv1.OpenRoundRequest{Id: id}); err != nil {
		t.Fatal(err)
	}
	if _, err := civindexv1.NewInspectionServiceClient(r.s.Conn).SubmitInspection(r.s.Ctx(auth.Inspector), &civindexv1.SubmitInspectionRequest{
		RoundId: id, SiteId: site.GetSite().GetId(), Results: []*civindexv1.ItemResult{{ItemId: "A1", Met: false}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := rc.CloseRound(ctx, &civindexv1.CloseRoundRequest{Id: id}); err != nil {
		t.Fatal(err)
	}
	tasks, err := civindexv1.NewSupervisionServiceClient(r.s.Conn).ListRectificationTasks(r.officer,
		&civindexv1.ListRectificationTasksRequest{RoundId: id})
	if err != nil || len(tasks.GetTasks()) != 1 {
		t.Fatalf("tasks of round %s: %v, %v", id, tasks, err)
	}
	return tasks.GetTasks()[0].GetId()
}

// burst sends replayCopies copies of one request at once and checks the
// replies and the rows they wrote against one call with fresh content.
func (r *replayWorld) burst(t *testing.T, name string, md protoreflect.MethodDescriptor, c replayCase) {
	out, err := protoregistry.GlobalTypes.FindMessageByName(md.Output().FullName())
	if err != nil {
		t.Fatal(err)
	}
	ctx := r.s.Ctx(c.role)
	if c.role == auth.Officer {
		// An officer acts for its department: the world's, the unit 东湖街道.
		ctx = r.officer
	}
	withID := func(m proto.Message, id string) proto.Message {
		fd := m.ProtoReflect().Descriptor().Fields().ByName("request_id")
		m.ProtoReflect().Set(fd, protoreflect.ValueOfString(id))
		return m
	}

	// One call with its own content and id: what one write adds.
	single := withID(c.build(t, r, 1), "single-"+string(md.Name()))
	before := r.counts(t)
	if err := r.s.Conn.Invoke(ctx, name, single, out.New().Interface()); err != nil {
		t.Fatalf("one call: %v", err)
	}
	one := diff(before, r.counts(t))

	id := "burst-" + string(md.Name())
	req := withID(c.build(t, r, 2), id)
	before = r.counts(t)
	replies := make([]proto.Message, replayCopies)
	errs := make([]error, replayCopies)
	var start, wg sync.WaitGroup
	start.Add(1)
	for i := range replayCopies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp := out.New().Interface()
			start.Wait()
			errs[i] = r.s.Conn.Invoke(ctx, name, proto.Clone(req), resp)
			replies[i] = resp
		}()
	}
	start.Done()
	wg.Wait()
	burst := diff(before, r.counts(t))

	var first proto.Message
	for i := range replayCopies {
		switch code := status.Code(errs[i]); {
		case errs[i] == nil && first == nil:
			first = replies[i]
		case errs[i] == nil:
			if !proto.Equal(replies[i], first) {
				t.Errorf("copy %d answered\n%v\nanother copy\n%v", i, replies[i], first)
			}
		case code == codes.Aborted || code == codes.Unavailable:
			// Still in flight elsewhere: told to retry, which is allowed.
			t.Logf("copy %d: %v", i, errs[i])
		default:
			t.Errorf("copy %d: %v; want the first copy's answer", i, errs[i])
		}
	}
	if first == nil {
		t.Fatalf("no copy succeeded")
	}
	if fmt.Sprint(burst) != fmt.Sprint(one) {
		t.Errorf("%d copies changed rows by %v; one call changes them by %v", replayCopies, burst, one)
	}
	// A retry after the burst gets the same answer and writes nothing.
	before = r.counts(t)
	again := out.New().Interface()
	if err := r.s.Conn.Invoke(ctx, name, req, again); err != nil || !proto.Equal(again, first) {
		t.Errorf("retry after the burst: %v, %v; want %v", again, err, first)
	}
	if d := diff(before, r.counts(t)); len(d) > 0 {
		t.Errorf("retry after the burst changed rows by %v", d)
	}
}

func (r *replayWorld) counts(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, tb := range r.tables {
		var n int
		if err := r.s.DB.W.GetContext(context.Background(), &n, "SELECT COUNT(*) FROM "+tb); err != nil {
			t.Fatal(err)
		}
		out[tb] = n
	}
	return out
}

// diff is the row count change per table, leaving out tables that did not
// change (fmt prints maps sorted, so two diffs compare as strings).
func diff(before, after map[string]int) map[string]int {
	out := map[string]int{}
	for tb, n := range after {
		if d := n - before[tb]; d != 0 {
			out[tb] = d
		}
	}
	return out
}
