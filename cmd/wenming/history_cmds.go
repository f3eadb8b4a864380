package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/feedback"
	"github.com/wenming/wenming/internal/progress"
)

type importRatingsCmd struct {
	File      string `arg:"" name:"file" placeholder:"FILE" type:"existingfile" help:"CSV (UTF-8 or GBK/GB18030) or XLSX: source_id,time,target,level[,dimensions,tags,comment,channel]."`
	OpenCases bool   `help:"Open a case for each imported bad review (level 1-2) whose deadline, counted from its own time, has not passed yet (default: none)."`
	DBOption  `embed:""`
	TZOption  `embed:""`
}

func (c *importRatingsCmd) Help() string {
	return `Loads ratings kept by another system, each at its own time, into the
statistics (the daily and monthly aggregates) like live ones. Every row is
checked first (time, level, target by id, public code or path of names such
as 市政务服务局/综合受理窗口, dimensions and tags against the target's form);
any problem rejects the file and lists each one with its line number. Then
rows are written in batches of 500; a row whose source_id was imported
before is skipped, so the same file, or an interrupted import, can be run
again. Times without a zone are read in --timezone.

Imported bad reviews open no case unless --open-cases: the old system
handled last year's, and a case opened now for a deadline long past would
only count against a department as overdue. docs/feedback.md has the
format and an example.`
}

func (c *importRatingsCmd) Run(ctx context.Context, std stdio) error {
	text, err := readSpreadsheet(std, c.File)
	if err != nil {
		return err
	}
	var v apierr.Violations
	rows := feedback.ParseHistory(strings.NewReader(text), c.location(), &v)
	if v.Len() > 0 {
		return fmt.Errorf("%s: %d problem(s), nothing imported:\n  %s", c.File, v.Len(), strings.Join(v.Lines(), "\n  "))
	}
	svc, done, err := openFeedback(ctx, c.DB, c.location())
	if err != nil {
		return err
	}
	defer done()
	meter := progress.New(std.err, "imported ratings", len(rows), progress.Options{})
	res, err := svc.ImportHistory(ctx, rows, feedback.HistoryOptions{OpenCases: c.OpenCases, Progress: meter.Add})
	meter.Done()
	if err != nil {
		return fmt.Errorf("%s: %w", c.File, err)
	}
	fmt.Fprintf(std.out, "imported %d ratings from %s, %d already imported (same source_id), %d cases opened\n",
		res.Added, c.File, res.Skipped, res.Cases)
	return nil
}

// feedbackCmd gathers feedback maintenance commands.
type feedbackCmd struct {
	RebuildAggregates rebuildAggregatesCmd `cmd:"" help:"Recompute the daily and monthly rating aggregates from the stored ratings."`
}

type rebuildAggregatesCmd struct {
	DBOption `embed:""`
}

func (c *rebuildAggregatesCmd) Help() string {
	return `Statistics read the aggregates, which every rating updates as it is
stored. Rebuild them after loading ratings behind the service's back (a
restore, SQL), or to check nothing has drifted: one transaction, so the
statistics are never half rebuilt; the server may keep running.`
}

func (c *rebuildAggregatesCmd) Run(ctx context.Context, std stdio) error {
	db, err := openExisting(ctx, c.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	total, err := feedback.CountRatings(ctx, db)
	if err != nil {
		return err
	}
	meter := progress.New(std.err, "read ratings", total, progress.Options{})
	n, err := feedback.RebuildAggregatesReporting(ctx, db, meter.Add)
	meter.Done()
	if err != nil {
		return err
	}
	fmt.Fprintf(std.out, "rebuilt the aggregates from %d ratings\n", n)
	return nil
}
