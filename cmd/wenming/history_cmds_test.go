package main

import (
	"bytes"
	"context"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/feedback"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
)

// A year-old history goes into the statistics on the days it happened,
// opens no case, and importing it again adds nothing.
//
// Worked example, Asia/Shanghai: the window gets 5 and 4 on 4 March 2025,
// 2 on 5 March and 1 at 2025-03-05T23:30Z, which is 07:30 on 6 March
// there. 4–5 March: 3 ratings, mean (5+4+2)/3 = 3.667, satisfied 2/3,
// bad 1/3. 4–6 March: 4 ratings, mean 12/4 = 3, satisfied 2/4, bad 2/4.
func TestImportRatingsHistory(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	dsn := migrated(t)
	tree := filepath.Join(dir, "targets.yaml")
	if err := os.WriteFile(tree, []byte(`targets:
  - kind: DEPARTMENT
    name: 市政务服务局
    form: {dimensions: [{key: attitude, label: 服务态度}], tags: [态度好, 排队久]}
    children:
      - {kind: WINDOW, name: 综合受理窗口}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"import", "targets", tree, "--db", dsn}, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	history := "source_id,time,target,level,dimensions,tags,comment,channel\n" +
		"h1,2025-03-04 09:15,市政务服务局/综合受理窗口,5,attitude=5,态度好,很好,KIOSK\n" +
		"h2,2025/3/4 14:30,市政务服务局/综合受理窗口,4,,,,\n" +
		"h3,2025-03-05 10:00:00,市政务服务局/综合受理窗口,2,attitude=2,排队久,等了一小时,qr\n" +
		"h4,2025-03-05T23:30:00Z,市政务服务局/综合受理窗口,1,,,,web\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(history)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "history.csv")
	if err := os.WriteFile(file, []byte(gbk), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"import", "ratings", file, "--db", dsn}, &out, &errOut); err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	if !strings.Contains(errOut.String(), "as CSV, GB18030") ||
		out.String() != "imported 4 ratings from "+file+", 0 already imported (same source_id), 0 cases opened\n" {
		t.Errorf("import said %q / %q", out.String(), errOut.String())
	}

	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	svc, err := feedback.New(rpc.Deps{DB: db, Location: shanghai})
	if err != nil {
		t.Fatal(err)
	}
	var window string
	if err := db.R.Get(&window, `SELECT id FROM feedback_targets WHERE kind = 'WINDOW'`); err != nil {
		t.Fatal(err)
	}
	check := func(when, to string, count int64, mean, sat, bad float64) {
		t.Helper()
		var v apierr.Violations
		_, s, err := svc.TargetStats(ctx, window, feedback.ParsePeriod(&v, "2025-03-04", to))
		if err != nil {
			t.Fatal(err)
		}
		if s.Count != count || math.Abs(s.Mean-mean) > 1e-9 || math.Abs(s.SatisfactionRate-sat) > 1e-9 || math.Abs(s.BadRate-bad) > 1e-9 {
			t.Errorf("%s, 4 March to %s: count %d mean %v satisfied %v bad %v; want %d %v %v %v",
				when, to, s.Count, s.Mean, s.SatisfactionRate, s.BadRate, count, mean, sat, bad)
		}
	}
	checkAll := func(when string) {
		check(when, "2025-03-05", 3, 11.0/3, 2.0/3, 1.0/3)
		check(when, "2025-03-06", 4, 3, 0.5, 0.5)
	}
	checkAll("after the import")
	var cases int
	if err := db.R.Get(&cases, `SELECT COUNT(*) FROM feedback_cases`); err != nil || cases != 0 {
		t.Errorf("history opened %d cases (%v), want none", cases, err)
	}

	// Again, with one new row: only that one is added. Its bad review is an
	// hour old, so --open-cases opens a case for it (and not for h3, h4).
	recent := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	if err := os.WriteFile(file, []byte(history+"h5,"+recent+",市政务服务局/综合受理窗口,1,,,,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"import", "ratings", file, "--open-cases", "--db", dsn}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "imported 1 ratings from") || !strings.Contains(out.String(), "4 already imported (same source_id), 1 cases opened") {
		t.Errorf("re-import said %q", out.String())
	}
	checkAll("after the re-import")

	// Rebuilding from the ratings gives the same figures.
	out.Reset()
	if err := run(ctx, []string{"feedback", "rebuild-aggregates", "--db", dsn}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if out.String() != "rebuilt the aggregates from 5 ratings\n" {
		t.Errorf("rebuild said %q", out.String())
	}
	checkAll("after the rebuild")

	// A bad file names every bad line and adds nothing.
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("source_id,time,target,level\n"+
		"b1,yesterday,市政务服务局/综合受理窗口,5\n"+
		"b2,2025-03-04,no/such/target,5\n"+
		"b3,2025-03-04,市政务服务局/综合受理窗口,9\n"+
		"b1,2099-01-01,市政务服务局/综合受理窗口,3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err = run(ctx, []string{"import", "ratings", bad, "--db", dsn}, io.Discard, io.Discard)
	if err == nil {
		t.Fatal("a bad file was imported")
	}
	for _, want := range []string{"line 2: time:", "line 4: level:", "line 5: source_id: \"b1\" is also on line 2"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	var n int
	if err := db.R.Get(&n, `SELECT COUNT(*) FROM feedback_ratings`); err != nil || n != 5 {
		t.Errorf("%d ratings after a refused file (%v), want 5", n, err)
	}
	// Targets and future times are checked against the database.
	if err := os.WriteFile(bad, []byte("source_id,time,target,level\n"+
		"c1,2025-03-04,no/such/target,5\n"+
		"c2,2099-01-01,市政务服务局/综合受理窗口,3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	err = run(ctx, []string{"import", "ratings", bad, "--db", dsn}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "line 2: target:") || !strings.Contains(err.Error(), "line 3: time: 2099-01-01T00:00:00+08:00 is in the future") {
		t.Errorf("unknown target and future time: %v", err)
	}
}
