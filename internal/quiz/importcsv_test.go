package quiz

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParseQuestionsCSV(t *testing.T) {
	t.Parallel()
	file := "\ufeffcategory,type,difficulty,stem,options,correct,explanation\n" +
		"交通出行,SINGLE_CHOICE,EASY,行人过马路遇到红灯时应当？,停在线外等候|快速通过,A,红灯停、绿灯行。\n" +
		"公共秩序,TRUE_FALSE,,在图书馆可以大声接打电话。,,B,应保持安静。\n" +
		`网络文明,multiple_choice,HARD,"哪些做法文明，且合法？",核实再转发|理性表达|人肉搜索,A|B,"不侵犯隐私, 不造谣"` + "\n"
	got, err := parseQuestionsCSV(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d questions", len(got))
	}
	if got[0].Difficulty != easy || len(got[0].Options) != 2 || got[0].Options[1].Key != "B" {
		t.Errorf("row 1 = %+v", got[0])
	}
	if got[1].Options[0].Text != "正确" || got[1].Difficulty != medium {
		t.Errorf("row 2 = %+v, want default 正确/错误 and MEDIUM", got[1])
	}
	if got[2].Type != multipleChoice || !slices.Equal(got[2].CorrectKeys, []string{"A", "B"}) ||
		got[2].Explanation != "不侵犯隐私, 不造谣" || got[2].Stem != "哪些做法文明，且合法？" {
		t.Errorf("row 3 = %+v", got[2])
	}
}

func TestParseQuestionsCSVReportsEveryProblemWithItsLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file string
		want       []string
	}{
		{"unknown and missing columns", "category,kind,stem\n",
			[]string{`line 1: unknown column "kind"`, `line 1: the header has no "type" column`, `line 1: the header has no "correct" column`}},
		{"bad rows", "category,type,stem,options,correct\n" +
			"交通出行,SINGLE_CHOICE,题干,甲|乙,A\n" + // fine
			"交通出行,SINGLE_CHOICE,,甲|乙,C\n" + // no stem, C is no option
			"交通出行,ESSAY,题干,甲|乙,A\n" + // unknown type
			"交通出行,SINGLE_CHOICE\n", // short row
			[]string{"line 3 (question 2): stem: is required", `line 3 (question 2): correct_keys[0]: "C" is not the key`,
				"line 4 (question 3): type:", "line 5 (question 4): has 2 fields"}},
		{"quoted stem over two lines", "category,type,stem,options,correct\n" +
			"交通出行,SINGLE_CHOICE,\"第一行\n第二行\",甲|乙,A\n交通出行,SINGLE_CHOICE,题干,甲|乙,\n",
			[]string{"line 4 (question 2): correct_keys: at least one"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			qs, err := parseQuestionsCSV(strings.NewReader(tc.file))
			var ie *importError
			if !errors.As(err, &ie) || qs != nil {
				t.Fatalf("got %d questions, error %v; want an ImportError and nothing", len(qs), err)
			}
			if len(ie.Problems) != len(tc.want) {
				t.Fatalf("problems:\n%s\nwant %d", strings.Join(ie.Problems, "\n"), len(tc.want))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(ie.Problems[i], w) {
					t.Errorf("problem %d = %q, want it to start %q", i, ie.Problems[i], w)
				}
			}
		})
	}
	for _, empty := range []string{"", "category,type,stem,correct\n"} {
		if _, err := parseQuestionsCSV(strings.NewReader(empty)); err == nil {
			t.Errorf("%q parsed without error", empty)
		}
	}
}

func TestParseQuestionsPicksTheFormat(t *testing.T) {
	t.Parallel()
	if qs, err := parseQuestions("yaml", handFile); err != nil || len(qs) != 3 {
		t.Errorf("yaml: %d, %v", len(qs), err)
	}
	if _, err := parseQuestions("xls", "x"); err == nil {
		t.Error("unknown format accepted")
	}
}
