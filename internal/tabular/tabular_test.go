package tabular

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestCSVHasBOMByDefaultAndDefusesFormulas(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Options{Format: CSV})
	if err != nil {
		t.Fatal(err)
	}
	_ = w.Write("名称", "得分", "备注")
	_ = w.Write("人民路", 92.5, "=HYPERLINK(\"x\")")
	_ = w.Write("-3", int64(-3), true)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := BOM + "名称,得分,备注\n人民路,92.5,\"'=HYPERLINK(\"\"x\"\")\"\n-3,-3,true\n"
	if buf.String() != want {
		t.Fatalf("got %q\nwant %q", buf.String(), want)
	}

	buf.Reset()
	w, _ = NewWriter(&buf, Options{Format: CSV, NoBOM: true})
	_ = w.Write("a")
	_ = w.Close()
	if buf.String() != "a\n" {
		t.Fatalf("NoBOM: got %q", buf.String())
	}
}

func TestXLSXRoundTripsThroughDecode(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Options{Format: XLSX, Sheet: "站点"})
	if err != nil {
		t.Fatal(err)
	}
	_ = w.Write("名称", "得分")
	_ = w.Write("人民路步行街", 92.5)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	typ, _ := f.GetCellType("站点", "B2")
	if typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("B2 type = %v, want a number", typ)
	}
	f.Close()

	text, read, err := Decode(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if read.String() != "XLSX (sheet 站点)" || text != "名称,得分\n人民路步行街,92.5\n" {
		t.Fatalf("Decode = %q, %v", text, read)
	}
}

func TestDecodeTellsEncodings(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String("名称,类别\n人民路,STREET\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in, read string
	}{
		{BOM + "名称,类别\n人民路,STREET\n", "CSV, UTF-8 with BOM"},
		{"名称,类别\n人民路,STREET\n", "CSV, UTF-8"},
		{gbk, "CSV, GB18030"},
	} {
		text, read, err := Decode([]byte(tc.in))
		if err != nil {
			t.Fatal(err)
		}
		if read.String() != tc.read || text != "名称,类别\n人民路,STREET\n" {
			t.Errorf("Decode(%q) = %q, %v; want %s", tc.in, text, read, tc.read)
		}
	}
}

func TestWriteCSVTextMakesNumbersNumericInXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSVText(&buf, "rank,site,code,score\n1,人民路,007,92.50\n", Options{Format: XLSX}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{"A1": "rank", "A2": "1", "C2": "007", "D2": "92.5"} {
		got, _ := f.GetCellValue("Sheet1", cell)
		if got != want {
			t.Errorf("%s = %q, want %q", cell, got, want)
		}
	}
	buf.Reset()
	_ = WriteCSVText(&buf, "a\n", Options{Format: CSV})
	if !strings.HasPrefix(buf.String(), BOM) {
		t.Errorf("CSV copy has no BOM: %q", buf.String())
	}
}

func TestWorkbookHasEverySheetInOrder(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteWorkbook(&buf,
		Sheet{Name: "考核结果", Rows: [][]any{{"单位", "总分"}, {"东城区", 91.5}}},
		Sheet{Name: "计算公式", Rows: [][]any{{"总分 = Σ 得分"}}}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "考核结果,计算公式" {
		t.Fatalf("sheets %s", got)
	}
	if v, _ := f.GetCellValue("考核结果", "B2"); v != "91.5" {
		t.Errorf("B2 = %q", v)
	}
	if v, _ := f.GetCellValue("计算公式", "A1"); v != "总分 = Σ 得分" {
		t.Errorf("formula sheet A1 = %q", v)
	}
}
