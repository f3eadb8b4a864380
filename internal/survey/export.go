package survey

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/tabular"
)

// table is an export before it is written in a file format.
type table struct {
	sheet string
	rows  [][]string
}

// encode writes t as CSV (UTF-8 with a byte-order mark, so Excel on a
// Chinese Windows reads it as UTF-8) or XLSX (numbers as numeric cells),
// returning the bytes, the file extension and the content type.
func (t table) encode(f surveyv1.ExportFormat) ([]byte, string, string, error) {
	format := tabular.CSV
	if f == surveyv1.ExportFormat_EXPORT_FORMAT_XLSX {
		format = tabular.XLSX
	}
	var buf bytes.Buffer
	w, err := tabular.NewWriter(&buf, tabular.Options{Format: format, Sheet: t.sheet})
	if err != nil {
		return nil, "", "", err
	}
	for i, row := range t.rows {
		vals := make([]any, len(row))
		for j, s := range row {
			vals[j] = s
			if i > 0 && format == tabular.XLSX {
				vals[j] = tabular.Guess(s)
			}
		}
		if err := w.Write(vals...); err != nil {
			return nil, "", "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", "", err
	}
	return buf.Bytes(), string(format), format.ContentType(), nil
}

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// responsesTable is one row per response: id, time, channel, stratum, then
// one column per question (one per row for a matrix).
func responsesTable(c Campaign, q *surveyv1.QuestionnaireContent, rs []Response) table {
	head := []string{"response_id", "submit_time", "channel"}
	for _, d := range c.Content.GetDimensions() {
		head = append(head, d.GetName())
	}
	qs := questions(q)
	for _, qu := range qs {
		if qu.GetType() == surveyv1.QuestionType_QUESTION_TYPE_MATRIX {
			for _, r := range qu.GetRows() {
				head = append(head, qu.GetId()+"["+r.GetCode()+"]")
			}
			continue
		}
		head = append(head, qu.GetId())
	}
	t := table{sheet: "responses", rows: [][]string{head}}
	for _, r := range rs {
		row := []string{r.ID, store.FromMicros(r.SubmitTime).Format("2006-01-02T15:04:05Z"),
			strings.TrimPrefix(r.Channel.String(), "CHANNEL_")}
		m := stratumMap(c.Content.GetDimensions(), r.Stratum)
		for _, d := range c.Content.GetDimensions() {
			row = append(row, m[d.GetName()])
		}
		byID := map[string]*surveyv1.Answer{}
		for _, a := range r.Answers {
			byID[a.GetQuestionId()] = a
		}
		for _, qu := range qs {
			a := byID[qu.GetId()]
			switch {
			case qu.GetType() == surveyv1.QuestionType_QUESTION_TYPE_MATRIX:
				for _, rw := range qu.GetRows() {
					row = append(row, a.GetMatrix()[rw.GetCode()])
				}
			case a == nil:
				row = append(row, "")
			case a.Value != nil:
				row = append(row, num(a.GetValue()))
			case qu.GetType() == surveyv1.QuestionType_QUESTION_TYPE_TEXT:
				row = append(row, a.GetText())
			default:
				row = append(row, strings.Join(a.GetChoices(), ";"))
			}
		}
		t.rows = append(t.rows, row)
	}
	return t
}

// resultsTable is GetResults flattened: one line per share, mean or matrix
// cell, with the weighted figure and its design effect beside it.
func resultsTable(res *surveyv1.GetResultsResponse) table {
	t := table{sheet: "results", rows: [][]string{{
		"question_id", "question", "figure", "row", "code", "label", "n", "count", "share", "ci_lo", "ci_hi",
		"weighted", "weighted_ci_lo", "weighted_ci_hi", "design_effect", "effective_n",
	}}}
	add := func(q *surveyv1.QuestionResult, figure, row string, n int32, s *surveyv1.Share) {
		line := []string{q.GetQuestionId(), q.GetText(), figure, row, s.GetCode(), s.GetLabel(), fmt.Sprint(n),
			fmt.Sprint(s.GetCount()), num(s.GetShare()), num(s.GetCi().GetLo()), num(s.GetCi().GetHi())}
		t.rows = append(t.rows, append(line, weightedCells(s.GetWeighted())...))
	}
	for _, q := range res.GetQuestions() {
		for _, s := range q.GetShares() {
			add(q, "share", "", q.GetN(), s)
		}
		for _, r := range q.GetRows() {
			for _, s := range r.GetShares() {
				add(q, "share", r.GetCode(), r.GetN(), s)
			}
		}
		if m := q.GetMean(); m != nil {
			line := []string{q.GetQuestionId(), q.GetText(), "mean", "", "", "", fmt.Sprint(m.GetN()), "",
				num(m.GetMean()), num(m.GetCi().GetLo()), num(m.GetCi().GetHi())}
			t.rows = append(t.rows, append(line, weightedCells(m.GetWeighted())...))
		}
	}
	return t
}

func weightedCells(w *surveyv1.Weighted) []string {
	if w == nil {
		return []string{"", "", "", "", ""}
	}
	return []string{num(w.GetEstimate()), num(w.GetCi().GetLo()), num(w.GetCi().GetHi()),
		num(w.GetDesignEffect()), num(w.GetEffectiveN())}
}
