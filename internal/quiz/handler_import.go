package quiz

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/store"
)

// Limits of one import.
const (
	maxImportBytes     = 4 << 20
	maxImportQuestions = 2000
)

// parseQuestions reads a question file in the given format ("yaml" or
// "csv").
func parseQuestions(format string, content string) ([]Content, error) {
	switch strings.ToLower(format) {
	case "yaml", "yml":
		return parseQuestionsYAML(strings.NewReader(content))
	case "csv":
		return parseQuestionsCSV(strings.NewReader(content))
	}
	return nil, errors.New("unknown format " + format + ": want yaml or csv")
}

// Import adds every question in one transaction: all or nothing. A
// question's natural key is its category and stem: one that matches a
// question in the bank (its current version, not retired), or an earlier
// one in the same file, is not added again; the existing question is
// returned in its place and counted in reused. Changing a question is
// UpdateQuestion's job, not a re-import's.
func (b *bank) Import(ctx context.Context, tx *store.Tx, cs []Content) (out []question, reused int, err error) {
	out = make([]question, len(cs))
	var fresh []question
	seen := map[[2]string]question{}
	t := b.clock()
	for i, c := range cs {
		q, err := newQuestion(c, t)
		if err != nil {
			return nil, 0, err
		}
		key := [2]string{q.Category, q.Stem}
		if old, ok := seen[key]; ok {
			out[i], reused = old, reused+1
			continue
		}
		id, err := questionByStem(ctx, tx, q.Category, q.Stem)
		switch {
		case err == nil:
			q.ID = id
			reused++
		case errors.Is(err, errNotFound):
			fresh = append(fresh, q)
		default:
			return nil, 0, err
		}
		seen[key], out[i] = q, q
	}
	if err := insertQuestions(ctx, tx, fresh); err != nil {
		return nil, 0, err
	}
	return out, reused, nil
}

func (h *questionHandler) ImportQuestions(ctx context.Context, req *quizv1.ImportQuestionsRequest) (*quizv1.ImportQuestionsResponse, error) {
	var v apierr.Violations
	format := ""
	switch req.GetFormat() {
	case quizv1.ImportFormat_IMPORT_FORMAT_YAML:
		format = "yaml"
	case quizv1.ImportFormat_IMPORT_FORMAT_CSV:
		format = "csv"
	default:
		v.Add("format", "must be IMPORT_FORMAT_YAML or IMPORT_FORMAT_CSV")
	}
	if v.Required("content", req.GetContent()) && len(req.GetContent()) > maxImportBytes {
		v.Add("content", "is %d bytes; the limit is %d", len(req.GetContent()), maxImportBytes)
	}
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	contents, err := parseQuestions(format, req.GetContent())
	var ie *importError
	switch {
	case errors.As(err, &ie):
		for _, p := range ie.Problems {
			v.Add("content", "%s", p)
		}
		return nil, v.Err()
	case err != nil:
		return nil, apierr.Field("content", "%v", err)
	case len(contents) > maxImportQuestions:
		return nil, apierr.Field("content", "holds %d questions; import at most %d at a time", len(contents), maxImportQuestions)
	}
	call := store.Call{
		Method: quizv1.QuestionService_ImportQuestions_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*quizv1.ImportQuestionsResponse, error) {
		qs, _, err := h.svc.bank.Import(ctx, tx, contents)
		if err != nil {
			return nil, err
		}
		resp := &quizv1.ImportQuestionsResponse{}
		for _, q := range qs {
			resp.QuestionIds = append(resp.QuestionIds, q.ID)
		}
		return resp, nil
	})
}

// FormatOf guesses a question file's format from its name: ".csv" is CSV,
// anything else YAML.
func FormatOf(name string) string {
	if strings.EqualFold(filepath.Ext(name), ".csv") {
		return "csv"
	}
	return "yaml"
}

// ImportFile parses a question file and adds its questions in one
// transaction, returning how many were added and how many were already in
// the bank (see bank.Import); with any problem nothing is added and the
// error (an *ImportError when the file is at fault) lists every line.
func (s *Service) ImportFile(ctx context.Context, format string, r io.Reader) (added, reused int, err error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxImportBytes+1))
	if err != nil {
		return 0, 0, err
	}
	if len(raw) > maxImportBytes {
		return 0, 0, fmt.Errorf("the file is larger than %d bytes; split it", maxImportBytes)
	}
	contents, err := parseQuestions(format, string(raw))
	if err != nil {
		return 0, 0, err
	}
	if len(contents) > maxImportQuestions {
		return 0, 0, fmt.Errorf("the file holds %d questions; import at most %d at a time", len(contents), maxImportQuestions)
	}
	err = s.db.WithTx(ctx, func(tx *store.Tx) error {
		_, reused, err = s.bank.Import(ctx, tx, contents)
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	return len(contents) - reused, reused, nil
}
