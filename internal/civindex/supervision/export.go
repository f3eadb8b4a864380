package supervision

import (
	"bytes"
	"encoding/csv"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
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
	buf.WriteString("\ufeff")
	w := csv.NewWriter(&buf)
	for _, row := range assessmentTable(a) {
		rec := make([]string, len(row))
		for i, c := range row {
			switch v := c.(type) {
			case float64:
				rec[i] = strconv.FormatFloat(v, 'f', -1, 64)
			case string:
				rec[i] = v
			}
		}
		if err := w.Write(rec); err != nil {
			return nil, err
		}
	}
	if err := w.Write([]string{}); err != nil {
		return nil, err
	}
	for _, line := range strings.Split(a.Formula, "\n") {
		if err := w.Write([]string{line}); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// AssessmentXLSX writes the assessment as a workbook: the results on the
// first sheet (numbers as numeric cells), the formula on the second.
func AssessmentXLSX(a Assessment) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const results, formula = "考核结果", "计算公式"
	if err := f.SetSheetName("Sheet1", results); err != nil {
		return nil, err
	}
	for r, row := range assessmentTable(a) {
		for i, v := range row {
			ref, err := excelize.CoordinatesToCellName(i+1, r+1)
			if err != nil {
				return nil, err
			}
			if err := f.SetCellValue(results, ref, v); err != nil {
				return nil, err
			}
		}
	}
	if _, err := f.NewSheet(formula); err != nil {
		return nil, err
	}
	for i, line := range strings.Split(a.Formula, "\n") {
		ref, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return nil, err
		}
		if err := f.SetCellValue(formula, ref, line); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
