package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/civindex/supervision"
	"github.com/wenming/wenming/internal/demo"
	"github.com/wenming/wenming/internal/rpc"
)

// `wenming verify draw` re-derives the demo draw from the database and
// from an exported file, and refuses a changed seed, commitment or frame;
// `wenming verify chain` passes the demo rounds and names the record a
// direct SQL edit changed.
func TestVerifyDrawAndChainOnTheDemo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "demo.db")
	db := openMigrated(t, dsn)
	if _, err := demo.Load(ctx, rpc.Deps{DB: db}); err != nil {
		t.Fatal(err)
	}
	// The demo's 2026 assessment is there to read.
	sup, err := supervision.New(rpc.Deps{DB: db})
	if err != nil {
		t.Fatal(err)
	}
	a, err := sup.Assess(ctx, auth.Principal{Role: auth.Analyst}, 2026, 0, "")
	if err != nil || len(a.Units) != 5 || a.Units[0].Rank != 1 {
		t.Fatalf("demo assessment: %+v, %v", a, err)
	}
	tasks, err := sup.ListTasks(ctx, auth.Principal{Role: auth.Analyst}, supervision.TaskFilter{}, "", 0)
	if err != nil || len(tasks) == 0 {
		t.Fatalf("demo rectification tasks: %d, %v", len(tasks), err)
	}
	var draw string
	if err := db.R.Get(&draw, `SELECT id FROM civ_draws`); err != nil {
		t.Fatal(err)
	}
	verify := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, append(args, "--db", dsn), &out, io.Discard)
		return out.String(), err
	}
	out, err := verify("verify", "draw", "--draw", draw)
	if err != nil || !strings.Contains(out, "verifies: 6 sites drawn") || !strings.Contains(out, "ok   round") {
		t.Fatalf("verify draw --draw: %v\n%s", err, out)
	}

	d, err := sup.GetDraw(ctx, draw)
	if err != nil {
		t.Fatal(err)
	}
	doc := d.Document()
	file := filepath.Join(dir, "draw.json")
	write := func(doc supervision.DrawDocument) {
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(doc)
	if out, err := verify("verify", "draw", "--file", file); err != nil {
		t.Fatalf("verify draw --file: %v\n%s", err, out)
	}
	// A changed seed, or a commitment or frame hash other than the one
	// published, does not verify.
	for _, args := range [][]string{
		{"--seed", strings.Repeat("ab", 32)},
		{"--commitment", strings.Repeat("0", 64)},
		{"--frame-sha256", strings.Repeat("0", 64)},
	} {
		out, err := verify(append([]string{"verify", "draw", "--file", file}, args...)...)
		if err == nil || !strings.Contains(out, "FAIL") {
			t.Errorf("verify draw %v: %v\n%s", args, err, out)
		}
	}
	// A frame with a site removed after the fact: the frame hash and the
	// sample no longer match.
	lines := strings.SplitAfter(doc.Statement, "\n")
	doc.Statement = strings.Join(append(lines[:3:3], lines[4:]...), "")
	write(doc)
	if out, err := verify("verify", "draw", "--file", file); err == nil || !strings.Contains(out, "FAIL frame_sha256") {
		t.Errorf("verify a changed frame: %v\n%s", err, out)
	}

	var round string
	if err := db.R.Get(&round, `SELECT id FROM civ_rounds WHERE kind = 'OFFICIAL' ORDER BY start_time LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	out, err = verify("verify", "chain", "--round", round)
	if err != nil || !strings.Contains(out, "links verify") {
		t.Fatalf("verify chain: %v\n%s", err, out)
	}
	var ins string
	if err := db.R.Get(&ins, `SELECT inspection_id FROM civ_chain WHERE round_id = ? AND seq = 5`, round); err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.Exec(`UPDATE civ_inspection_revisions SET results = replace(results, '"points":', '"points": ') WHERE inspection_id = ?`, ins); err != nil {
		t.Fatal(err)
	}
	out, err = verify("verify", "chain", "--round", round)
	if err == nil || !strings.Contains(out, "FAIL link 5 (inspection "+ins) {
		t.Errorf("verify chain after an edit: %v\n%s", err, out)
	}
}
