package supervision

import (
	"bytes"
	"strings"

	"github.com/wenming/wenming/internal/tabular"
)

// assessmentTable is the assessment as rows of cells: a header, one row per
// unit. Numbers are float64 (XLSX numeric cells), text is string.
func assessmentTable(a Assessment) [][]any {
	header := []any{"名次", "单位", "总分"}
	for _, c := range Components {
		header = append(header, componentNames[c]+" 原始值", componentNames[c]+" 得分率", componentNames[c]+" 得分")
	}
	header = append(header, "最能提分项", "可提分")
	rows := [][]any{header}
	for _, u := range a.Units {
		row := []any{float64(u.Rank), u.Unit, round2(u.Total)}
		for _, c := range u.Components {
			row = append(row, round4(c.Value), round4(c.Share), round2(c.Points))
		}
		row = append(row, componentNames[u.Raise], round2(u.Gain))
		rows = append(rows, row)
	}
	return rows
}

func round4(x float64) float64 { return float64(int64(x*10000+0.5*sign(x))) / 10000 }

func sign(x float64) float64 {
	if x < 0 {
		return -1
	}
	return 1
}

// AssessmentCSV writes the assessment as CSV, UTF-8 with a byte-order mark
// so Excel opens it as UTF-8, followed by an empty line and the formula,
// one line per row.
func AssessmentCSV(a Assessment) ([]byte, error) {
	var buf bytes.Buffer
	w, err := tabular.NewWriter(&buf, tabular.Options{Format: tabular.CSV})
	if err != nil {
		return nil, err
	}
	for _, row := range assessmentTable(a) {
		if err := w.Write(row...); err != nil {
			return nil, err
		}
	}
	if err := w.Write(); err != nil {
		return nil, err
	}
	for _, line := range strings.Split(a.Formula, "\n") {
		if err := w.Write(line); err != nil {
			return nil, err
		}
	}
	err = w.Close()
	return buf.Bytes(), err
}

// AssessmentXLSX writes the assessment as a workbook: the results on the
// first sheet (numbers as numeric cells), the formula on the second.
func AssessmentXLSX(a Assessment) ([]byte, error) {
	var formula [][]any
	for _, line := range strings.Split(a.Formula, "\n") {
		formula = append(formula, []any{line})
	}
	var buf bytes.Buffer
	err := tabular.WriteWorkbook(&buf,
		tabular.Sheet{Name: "考核结果", Rows: assessmentTable(a)},
		tabular.Sheet{Name: "计算公式", Rows: formula})
	return buf.Bytes(), err
}
