package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/wenming/wenming/internal/tabular"
)

// An export as CSV starts with a byte-order mark unless --no-bom; as XLSX
// it is a workbook with numeric scores; both hold the same rows.
func TestExportsAsCSVWithBOMAndAsXLSX(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	dsn, round := civIndexDemo(t, dir)
	export := func(args ...string) []byte {
		t.Helper()
		var out, errOut bytes.Buffer
		args = append([]string{"export", "index", "--round", round, "--db", dsn}, args...)
		if err := run(ctx, args, &out, &errOut); err != nil {
			t.Fatalf("wenming %v: %v\n%s", args, err, errOut.String())
		}
		return out.Bytes()
	}
	withBOM := export()
	if !bytes.HasPrefix(withBOM, []byte(tabular.BOM+"rank,site_id,site,")) {
		t.Errorf("CSV export starts %q, want a BOM and the header", withBOM[:min(len(withBOM), 40)])
	}
	plain := export("--no-bom")
	if !bytes.Equal(plain, withBOM[len(tabular.BOM):]) {
		t.Errorf("--no-bom changed more than the mark")
	}
	if got := export("--bom=false"); !bytes.Equal(got, plain) {
		t.Errorf("--bom=false differs from --no-bom")
	}

	xlsx := filepath.Join(dir, "index.xlsx")
	export("--out", xlsx) // the format follows the file name
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	csvRows := strings.Split(strings.TrimSpace(string(plain)), "\n")
	if len(rows) != len(csvRows) || len(rows) != 13 {
		t.Fatalf("XLSX has %d rows, CSV %d; want 13 (header and 12 sites)", len(rows), len(csvRows))
	}
	if typ, _ := f.GetCellType("Sheet1", "G2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("score cell G2 is %v, want a number", typ)
	}
	if strings.Join(rows[1][:3], ",") != strings.Join(strings.Split(csvRows[1], ",")[:3], ",") {
		t.Errorf("first site differs: XLSX %v, CSV %s", rows[1], csvRows[1])
	}
}

// Sites saved by Chinese Excel (GBK) and as XLSX import, the command says
// how it read them, and importing again adds nothing.
func TestImportSitesFromGBKAndXLSX(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	dsn := migrated(t)
	body, err := simplifiedchinese.GBK.NewEncoder().String("name,category,unit\n人民路步行街,street,东城区城管局\n")
	if err != nil {
		t.Fatal(err)
	}
	csvPath := filepath.Join(dir, "sites.csv")
	if err := os.WriteFile(csvPath, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"import", "sites", csvPath, "--db", dsn}, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	if !strings.Contains(errOut.String(), "as CSV, GB18030") || !strings.Contains(out.String(), "\t人民路步行街\n") ||
		!strings.Contains(errOut.String(), "imported 1 sites, 0 already present") {
		t.Errorf("GBK import said %q / %q", out.String(), errOut.String())
	}

	var x bytes.Buffer
	w, _ := tabular.NewWriter(&x, tabular.Options{Format: tabular.XLSX})
	_ = w.Write("name", "category", "unit")
	_ = w.Write("人民路步行街", "street", "东城区城管局")
	_ = w.Write("市民服务中心", "service_hall", "市政务服务局")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	xlsxPath := filepath.Join(dir, "sites.xlsx")
	if err := os.WriteFile(xlsxPath, x.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"imported 1 sites, 1 already present", "imported 0 sites, 2 already present"} {
		errOut.Reset()
		if err := run(ctx, []string{"import", "sites", xlsxPath, "--db", dsn}, io.Discard, &errOut); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(errOut.String(), "as XLSX (sheet Sheet1)") || !strings.Contains(errOut.String(), want) {
			t.Errorf("XLSX import %d said %q, want %q", i+1, errOut.String(), want)
		}
	}
}

// Questions and frameworks imported twice are there once.
func TestReimportingQuestionsAndFrameworksAddsNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := migrated(t)
	questions := filepath.Join("..", "..", "internal", "demo", "questions.yaml")
	var first, second bytes.Buffer
	if err := run(ctx, []string{"import", "questions", questions, "--db", dsn}, &first, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"import", "questions", questions, "--db", dsn}, &second, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first.String(), ", 0 already in the bank") || !strings.Contains(second.String(), "imported 0 questions") {
		t.Errorf("imports said %q then %q", first.String(), second.String())
	}

	fw := filepath.Join("..", "..", "internal", "demo", "civindex_framework.yaml")
	var id1, id2, errOut bytes.Buffer
	if err := run(ctx, []string{"import", "framework", fw, "--publish", "--db", dsn}, &id1, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"import", "framework", fw, "--publish", "--db", dsn}, &id2, &errOut); err != nil {
		t.Fatal(err)
	}
	if id1.String() != id2.String() || !strings.Contains(errOut.String(), "nothing added") {
		t.Errorf("framework imported as %q then %q (%q)", id1.String(), id2.String(), errOut.String())
	}
}
