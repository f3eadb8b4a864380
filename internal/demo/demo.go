// Package demo loads the demo data set that `wenming serve --demo` starts
// with — a Chinese etiquette question bank for now — and prints example
// calls with freshly minted demo keys.
package demo

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"net"
	"strings"

	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/quiz"
	"github.com/wenming/wenming/internal/store"
)

//go:embed questions.yaml
var questionsYAML []byte

// Keys are the demo API keys minted for this run.
type Keys struct {
	Admin, Kiosk, Analyst string
}

// Load fills an empty database with the demo data and mints new demo keys,
// revoking the ones from earlier demo runs (their secrets were only shown
// then). Data is loaded only into a database without questions.
func Load(ctx context.Context, db *store.DB) (Keys, error) {
	if err := loadQuestions(ctx, db); err != nil {
		return Keys{}, err
	}
	if err := LoadQuizContest(ctx, db); err != nil {
		return Keys{}, err
	}
	if err := LoadCivIndex(ctx, db); err != nil {
		return Keys{}, err
	}
	if err := LoadFeedback(ctx, db); err != nil {
		return Keys{}, err
	}
	return mintKeys(ctx, db)
}

func loadQuestions(ctx context.Context, db *store.DB) error {
	var n int
	if err := db.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM questions`); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	contents, err := quiz.ParseQuestionsYAML(strings.NewReader(string(questionsYAML)))
	if err != nil {
		return fmt.Errorf("demo questions: %w", err)
	}
	bank := quiz.NewBank(db)
	return db.WithTx(ctx, func(tx *store.Tx) error {
		for _, c := range contents {
			if _, err := bank.Create(ctx, tx, c); err != nil {
				return err
			}
		}
		return nil
	})
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
	for _, m := range []struct {
		role auth.Role
		dst  *string
	}{{auth.Admin, &out.Admin}, {auth.Kiosk, &out.Kiosk}, {auth.Analyst, &out.Analyst}} {
		secret, _, err := keys.Create(ctx, m.role, demoKeyPrefix+string(m.role), "")
		if err != nil {
			return Keys{}, err
		}
		*m.dst = secret
	}
	return out, nil
}

// PrintExamples writes ready-to-paste grpcurl and curl lines.
func PrintExamples(w io.Writer, k Keys, grpcAddr, httpAddr string) {
	g, h := dialable(grpcAddr), dialable(httpAddr)
	fmt.Fprintf(w, `
wenming demo is up. Demo keys (new on every --demo start):
  admin:   %[1]s
  kiosk:   %[2]s
  analyst: %[3]s

Try:
  go run github.com/fullstorydev/grpcurl/cmd/grpcurl@v1.9.4 -plaintext %[4]s list
  go run github.com/fullstorydev/grpcurl/cmd/grpcurl@v1.9.4 -plaintext -H 'authorization: Bearer %[3]s' \
      -d '{"page_size": 3}' %[4]s wenming.quiz.v1.QuestionService/ListQuestions
  curl -s -H 'Authorization: Bearer %[3]s' 'http://%[5]s/v1/questions?page_size=3&category=交通出行'
  curl -s -H 'Authorization: Bearer %[1]s' -X POST http://%[5]s/v1/questions \
      -d '{"question": {"category": "公共秩序", "type": "QUESTION_TYPE_TRUE_FALSE", "stem": "乘坐扶梯时应靠右站立。", "correct_keys": ["A"]}}'

`, k.Admin, k.Kiosk, k.Analyst, g, h)
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
