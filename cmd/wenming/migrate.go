package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/wenming/wenming/internal/store"
)

type migrateCmd struct {
	Up     migrateUpCmd     `cmd:"" default:"withargs" help:"Apply pending migrations (the default)."`
	Status migrateStatusCmd `cmd:"" help:"List every migration and whether the database has it."`
}

type migrateUpCmd struct {
	DBOption `embed:""`
}

// Run applies what is pending and names each migration it applied.
func (c *migrateUpCmd) Run(ctx context.Context, std stdio) error {
	db, err := store.Open(ctx, c.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.MigrateReport(ctx)
	if err != nil {
		return err
	}
	for _, m := range applied {
		fmt.Fprintf(std.out, "applied %05d %s (%s)\n", m.Version, m.Name, m.Took.Round(time.Millisecond))
	}
	if len(applied) == 0 {
		fmt.Fprintf(std.err, "%s: schema already current, nothing applied\n", db.DSN)
	} else {
		fmt.Fprintf(std.err, "%s: applied %d migration(s); schema is current\n", db.DSN, len(applied))
	}
	return nil
}

type migrateStatusCmd struct {
	DBOption `embed:""`
}

// Run lists the migrations without changing anything (beyond goose's
// version table, which it creates on a database that has none).
func (c *migrateStatusCmd) Run(ctx context.Context, std stdio) error {
	if err := sqliteExists(c.DB); err != nil {
		return err
	}
	db, err := store.Open(ctx, c.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	ms, err := db.Migrations(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(std.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tAPPLIED")
	pending := 0
	for _, m := range ms {
		at := "pending"
		if m.Applied {
			at = m.AppliedAt.UTC().Format(time.RFC3339)
		} else {
			pending++
		}
		fmt.Fprintf(tw, "%05d\t%s\t%s\n", m.Version, m.Name, at)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(std.err, "%s: %d of %d migrations applied, %d pending\n", db.DSN, len(ms)-pending, len(ms), pending)
	return nil
}
