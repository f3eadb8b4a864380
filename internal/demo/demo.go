// Package demo loads the demo data set that `wenming serve --demo` starts
// with — a Chinese etiquette question bank and an open contest, the
// departments of a municipal offices-administration bureau with a few
// hundred ratings, a civility-index framework with sites, two official
// rounds of inspections and a self-check, and a residents' questionnaire with a stratified campaign
// and a few hundred responses — and prints example calls with freshly minted demo keys.
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/quiz"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
)

//go:embed questions.yaml
var questionsYAML []byte

// KioskCommunity is the community the demo kiosk key stands in.
const KioskCommunity = "和平社区"

// Keys are the demo API keys minted for this run, and ids worth pasting.
type Keys struct {
	Admin, Kiosk, Analyst, Inspector, Officer string
	// OfficerDept is the department the officer key works for (机关食堂).
	OfficerDept string
	// ContestID, WindowID and RoundID are a demo contest, a rated window
	// and the open inspection round, for the printed examples.
	ContestID, WindowID, RoundID string
	// WindowCode is the demo window's public code (its page is /f/{code});
	// DeptID the department it belongs to (for its poster page).
	WindowCode, DeptID string
	// SurveyCampaignID and SurveyCode are the demo questionnaire
	// campaign's id and public code.
	SurveyCampaignID, SurveyCode string
}

// Load fills an empty database with the demo data and mints new demo keys,
// revoking the ones from earlier demo runs (their secrets were only shown
// then). Each part is loaded only into a database that lacks it.
func Load(ctx context.Context, d rpc.Deps) (Keys, error) {
	return LoadReporting(ctx, d, nil)
}

// LoadParts is how many parts LoadReporting reports.
const LoadParts = 7

// LoadReporting is Load telling done(1) as each of its LoadParts parts
// (questions, contest, civility index, feedback, survey, supervision,
// keys) finishes.
func LoadReporting(ctx context.Context, d rpc.Deps, done func(int)) (Keys, error) {
	if done == nil {
		done = func(int) {}
	}
	for _, part := range []func(context.Context, rpc.Deps) error{
		loadQuestions, loadQuizContest, loadCivIndexIn, loadFeedbackIn, loadSurveyIn, loadSupervisionIn,
	} {
		if err := part(ctx, d); err != nil {
			return Keys{}, err
		}
		done(1)
	}
	keys, err := mintKeys(ctx, d.DB)
	if err != nil {
		return Keys{}, err
	}
	done(1)
	return keys, exampleIDs(ctx, d.DB, &keys)
}

// exampleIDs looks up ids for the printed examples; a part that is missing
// leaves its id empty.
func exampleIDs(ctx context.Context, db *store.DB, k *Keys) error {
	for _, q := range []struct {
		dst  *string
		sql  string
		args []any
	}{
		{&k.ContestID, `SELECT id FROM contests WHERE state = ? ORDER BY id LIMIT 1`, []any{"PUBLISHED"}},
		{&k.WindowID, `SELECT id FROM feedback_targets WHERE kind = ? AND active ORDER BY path LIMIT 1`, []any{"WINDOW"}},
		{&k.RoundID, `SELECT id FROM civ_rounds WHERE state = ? ORDER BY id DESC LIMIT 1`, []any{"OPEN"}},
		{&k.WindowCode, `SELECT public_code FROM feedback_targets WHERE kind = ? AND active ORDER BY path LIMIT 1`, []any{"WINDOW"}},
		{&k.DeptID, `SELECT department_id FROM feedback_targets WHERE kind = ? AND active ORDER BY path LIMIT 1`, []any{"WINDOW"}},
		{&k.SurveyCampaignID, `SELECT id FROM svy_campaigns ORDER BY id LIMIT 1`, nil},
		{&k.SurveyCode, `SELECT code FROM svy_campaigns ORDER BY id LIMIT 1`, nil},
	} {
		var ids []string
		if err := db.R.SelectContext(ctx, &ids, db.R.Rebind(q.sql), q.args...); err != nil {
			return err
		}
		if len(ids) > 0 {
			*q.dst = ids[0]
		}
	}
	return nil
}

func loadQuestions(ctx context.Context, d rpc.Deps) error {
	var n int
	if err := d.DB.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM questions`); err != nil || n > 0 {
		return err
	}
	svc, err := quiz.New(d)
	if err != nil {
		return err
	}
	if _, _, err := svc.ImportFile(ctx, "yaml", bytes.NewReader(questionsYAML)); err != nil {
		return fmt.Errorf("demo questions: %w", err)
	}
	return nil
}

const demoKeyPrefix = "demo-"

func mintKeys(ctx context.Context, db *store.DB) (Keys, error) {
	keys := auth.NewKeys(db)
	existing, err := keys.List(ctx)
	if err != nil {
		return Keys{}, err
	}
	for _, k := range existing {
		if strings.HasPrefix(k.Name, demoKeyPrefix) && k.RevokeTime == nil {
			if err := keys.Revoke(ctx, k.ID); err != nil {
				return Keys{}, err
			}
		}
	}
	var out Keys
	var depts []string
	if err := db.R.SelectContext(ctx, &depts, db.R.Rebind(
		`SELECT id FROM feedback_targets WHERE kind = ? AND name = ?`), "DEPARTMENT", "机关食堂"); err != nil {
		return Keys{}, err
	}
	if len(depts) > 0 {
		out.OfficerDept = depts[0]
	}
	for _, m := range []struct {
		role  auth.Role
		scope string
		dst   *string
	}{
		{auth.Admin, "", &out.Admin}, {auth.Kiosk, KioskCommunity, &out.Kiosk}, {auth.Analyst, "", &out.Analyst},
		{auth.Inspector, "", &out.Inspector}, {auth.Officer, out.OfficerDept, &out.Officer},
	} {
		secret, _, err := keys.Create(ctx, m.role, demoKeyPrefix+string(m.role), m.scope)
		if err != nil {
			return Keys{}, err
		}
		*m.dst = secret
	}
	return out, nil
}

// PrintExamples writes ready-to-paste grpcurl and curl lines.
func PrintExamples(w io.Writer, k Keys, grpcAddr, httpAddr, publicURL string) {
	g, h := dialable(grpcAddr), dialable(httpAddr)
	site := strings.TrimRight(publicURL, "/")
	if site == "" {
		site = "http://" + h
	}
	grpcurl := "go run github.com/fullstorydev/grpcurl/cmd/grpcurl@v1.9.4 -plaintext"
	fmt.Fprintf(w, `
wenming demo is up. Demo keys (new on every --demo start; earlier demo keys are revoked):
  admin:     %[1]s
  kiosk:     %[2]s
  analyst:   %[3]s
  inspector: %[4]s
  officer:   %[5]s   (机关食堂, department %[6]s)

The kiosk quiz app: open http://%[9]s/kiosk/setup in a browser and paste the
kiosk key above (it stands in %[13]s); then play at http://%[9]s/kiosk

Staff console: http://%[9]s/console/ — sign in with a key above:
  officer key → 案件工作台 (the 机关食堂 cases: acknowledge, rectify, close)
  analyst key → 文明指数, 好差评, 知识竞赛 dashboards (read-only, downloads)
  admin key   → everything

Try (more in README.md and docs/):
  %[7]s %[8]s list
  %[7]s %[8]s grpc.health.v1.Health/Check
  curl -s http://%[9]s/readyz

  # quiz: a kiosk lists open contests and starts a game
  curl -s -H 'Authorization: Bearer %[2]s' http://%[9]s/v1/open-contests
  %[7]s -H 'authorization: Bearer %[2]s' -d '{"contest_id": "%[10]s", "display_name": "王阿姨", "participant_identifier": "13800000000"}' \
      %[8]s wenming.quiz.v1.PlayService/StartAttempt

  # feedback: anyone may rate a service window, no key needed
  curl -s http://%[9]s/v1/feedback/targets/%[11]s/form
  curl -s -X POST http://%[9]s/v1/feedback/ratings -d '{"targetId": "%[11]s", "level": 5, "comment": "办事很快", "channel": "CHANNEL_QR"}'
  curl -s -H 'Authorization: Bearer %[5]s' 'http://%[9]s/v1/feedback/cases?pageSize=3'

  # civility index: the testing team reads the open round
  curl -s -H 'Authorization: Bearer %[3]s' http://%[9]s/v1/rounds/%[12]s/index
  curl -s -H 'Authorization: Bearer %[3]s' 'http://%[9]s/v1/rounds/%[12]s/shortfalls?threshold=0.9'

  # questionnaires: anyone opens the form by its code; the analyst reads weighted results
  curl -s http://%[9]s/v1/surveyForms/%[15]s
  curl -s -H 'Authorization: Bearer %[4]s' http://%[9]s/v1/surveyCampaigns/%[14]s/quota
  curl -s -H 'Authorization: Bearer %[3]s' http://%[9]s/v1/surveyCampaigns/%[14]s/results

`, k.Admin, k.Kiosk, k.Analyst, k.Inspector, k.Officer, k.OfficerDept, grpcurl, g, h, k.ContestID, k.WindowID, k.RoundID,
		KioskCommunity, k.SurveyCampaignID, k.SurveyCode)
	fmt.Fprintf(w, `
Feedback form of a demo window (what its QR code opens; works on a phone):
  %[1]s/f/%[2]s
QR posters to print for its department (the browser asks for a password: the admin key above)%[3]s:
  %[1]s/f/posters/%[4]s?subtree=1
The demo residents' questionnaire (问卷调查; its public page, works on a phone):
  %[1]s/s/%[5]s
`, site, k.WindowCode, posterNote(publicURL), k.DeptID, k.SurveyCode)
	// The docs' examples read these: source <(grep '^export ' demo.txt).
	fmt.Fprintf(w, `
Shell variables the examples in README.md and docs/ use (paste them, or
save this output as demo.txt and run: source <(grep '^export ' demo.txt)):
export ADMIN=%s KIOSK=%s ANALYST=%s INSPECTOR=%s OFFICER=%s
export DEPT=%s C=%s WINDOW=%s WINDOW_CODE=%s ROUND=%s SURVEY=%s SURVEY_CODE=%s
`, k.Admin, k.Kiosk, k.Analyst, k.Inspector, k.Officer,
		k.OfficerDept, k.ContestID, k.WindowID, k.WindowCode, k.RoundID, k.SurveyCampaignID, k.SurveyCode)
}

// dialable turns ":9090" into "localhost:9090" for copy-paste.
func dialable(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if host == "" || host == "::" || host == "0.0.0.0" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func posterNote(publicURL string) string {
	if publicURL == "" {
		return "; needs --public-url"
	}
	return ""
}
