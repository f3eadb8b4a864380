package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wenming/wenming/internal/store"
)

func TestMigrateReportsWhatItAppliedAndStatusListsIt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "m.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	before, err := db.Migrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(before) == 0 {
		t.Fatal("no embedded migrations listed")
	}
	for _, m := range before {
		if m.Applied {
			t.Fatalf("fresh database has %s applied", m.Name)
		}
	}
	applied, err := db.MigrateReport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != len(before) || applied[0].Version != before[0].Version || applied[0].Name != before[0].Name {
		t.Fatalf("applied %d migrations starting %+v; want all %d starting %+v", len(applied), applied[0], len(before), before[0])
	}
	again, err := db.MigrateReport(ctx)
	if err != nil || len(again) != 0 {
		t.Fatalf("second migrate applied %d (%v), want none", len(again), err)
	}
	after, err := db.Migrations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range after {
		if !m.Applied || m.AppliedAt.IsZero() {
			t.Errorf("%s after migrate: applied=%v at %v", m.Name, m.Applied, m.AppliedAt)
		}
	}
}
