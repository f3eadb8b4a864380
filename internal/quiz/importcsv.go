package quiz

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// The question file format (CSV, UTF-8, comma-separated, RFC 4180 quoting).
// The first line is a header naming the columns, in any order:
//
//	category,type,difficulty,stem,options,correct,explanation
//
// category, type, stem and correct are required; difficulty (EASY, MEDIUM,
// HARD; default MEDIUM), options and explanation may be left out or empty.
// options lists the option texts separated by "|" (keys A, B, C, … in that
// order; leave empty for TRUE_FALSE to get 正确/错误), and correct the keys
// of the correct options separated by "|", e.g. "A|C". Example:
//
//	category,type,difficulty,stem,options,correct,explanation
//	交通出行,SINGLE_CHOICE,EASY,行人过马路遇到红灯时应当？,停在线外等候|快速通过,A,红灯停、绿灯行。
//	公共秩序,TRUE_FALSE,EASY,在图书馆可以大声接打电话。,,B,应保持安静。
var csvColumns = []string{"category", "type", "difficulty", "stem", "options", "correct", "explanation"}

var csvRequired = []string{"category", "type", "stem", "correct"}

// parseQuestionsCSV reads a CSV question file and validates every row. Like
// ParseQuestionsYAML it reports all problems at once with line numbers
// (*ImportError) and returns questions only when the whole file is valid.
func parseQuestionsCSV(r io.Reader) ([]Content, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the file is empty")
	}
	if err != nil {
		return nil, fmt.Errorf("not a CSV question file: %w", err)
	}
	col := map[string]int{}
	var problems []string
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch {
		case !slices.Contains(csvColumns, h):
			problems = append(problems, fmt.Sprintf("line 1: unknown column %q (want %s)", h, strings.Join(csvColumns, ", ")))
		case col[h] != 0:
			problems = append(problems, fmt.Sprintf("line 1: column %q appears twice", h))
		default:
			col[h] = i + 1 // 0 means absent
		}
	}
	for _, h := range csvRequired {
		if col[h] == 0 {
			problems = append(problems, fmt.Sprintf("line 1: the header has no %q column", h))
		}
	}
	if len(problems) > 0 {
		return nil, &importError{Problems: problems}
	}
	var out []Content
	rows := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		rows++
		if err != nil {
			// A quoting error leaves the reader unsure where rows end.
			problems = append(problems, err.Error())
			break
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			problems = append(problems, fmt.Sprintf("line %d (question %d): has %d fields, the header has %d", line, rows, len(rec), len(header)))
			continue
		}
		c := csvContent(rec, col)
		c.Normalize()
		for _, msg := range validationLines(&c) {
			problems = append(problems, fmt.Sprintf("line %d (question %d): %s", line, rows, msg))
		}
		out = append(out, c)
	}
	if rows == 0 {
		return nil, errors.New("the file lists no questions")
	}
	if len(problems) > 0 {
		return nil, &importError{Problems: problems}
	}
	return out, nil
}

func csvContent(rec []string, col map[string]int) Content {
	get := func(name string) string {
		if i := col[name]; i > 0 {
			return strings.TrimSpace(rec[i-1])
		}
		return ""
	}
	e := questionEntry{
		Category: get("category"), Type: get("type"), Difficulty: get("difficulty"),
		Stem: get("stem"), Explanation: get("explanation"),
	}
	if s := get("options"); s != "" {
		e.Options = strings.Split(s, "|")
	}
	if s := get("correct"); s != "" {
		e.Correct = strings.Split(s, "|")
	}
	return e.content()
}
