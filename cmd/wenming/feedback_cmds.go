package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/feedback"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/tabular"
)

// openFeedback opens the existing database and builds the feedback
// service in the configured time zone.
func openFeedback(ctx context.Context, dsn string, loc *time.Location) (*feedback.Service, func(), error) {
	svc, db, err := openService(ctx, dsn, rpc.Deps{Location: loc}, feedback.New)
	if err != nil {
		return nil, nil, err
	}
	return svc, func() { db.Close() }, nil
}

type importTargetsCmd struct {
	File     string `arg:"" name:"file" placeholder:"FILE" type:"existingfile" help:"YAML tree of targets (docs/feedback.md)."`
	DBOption `embed:""`
	TZOption `embed:""`
}

func (c *importTargetsCmd) Help() string {
	return `All or nothing; every problem is listed with its line number. Re-running is
safe: entries already present (same kind and name under the same parent) are
reused.`
}

func (c *importTargetsCmd) Run(ctx context.Context, std stdio) error {
	in, closeIn, err := openInput(c.File)
	if err != nil {
		return err
	}
	defer closeIn()
	specs, err := feedback.ParseTargetsYAML(in)
	if err != nil {
		return fmt.Errorf("%s: %w", c.File, err)
	}
	svc, done, err := openFeedback(ctx, c.DB, c.location())
	if err != nil {
		return err
	}
	defer done()
	res, err := svc.ImportTargets(ctx, specs)
	if err != nil {
		return err
	}
	fmt.Fprintf(std.out, "imported %d target(s), %d already present\n", res.Created, res.Reused)
	return nil
}

// PeriodFlags are the dates of an export, local dates in --timezone, both
// included.
type PeriodFlags struct {
	From string `required:"" placeholder:"YYYY-MM-DD" help:"First local date."`
	To   string `required:"" placeholder:"YYYY-MM-DD" help:"Last local date, included."`
}

// Validate reports bad dates by flag name.
func (p PeriodFlags) Validate() error {
	_, err := p.period()
	return err
}

func (p PeriodFlags) period() (feedback.Period, error) {
	var v apierr.Violations
	per := feedback.ParsePeriod(&v, p.From, p.To)
	if lines := v.Lines(); len(lines) > 0 {
		msg := strings.NewReplacer("start_date", "--from", "end_date", "--to").Replace(strings.Join(lines, "; "))
		return per, errors.New(msg)
	}
	return per, nil
}

type exportRatingsCmd struct {
	PeriodFlags `embed:""`
	OutputFlags `embed:""`
	Target      string `placeholder:"ID" help:"Only this target and its subtree."`
	DBOption    `embed:""`
	TZOption    `embed:""`
}

func (c *exportRatingsCmd) Run(ctx context.Context, std stdio) error {
	return exportFeedback(ctx, std, "ratings", c.PeriodFlags, c.OutputFlags, c.DB, c.location(),
		func(svc *feedback.Service, w tabular.Writer, p feedback.Period) (int, error) {
			n, _, err := svc.ExportRatings(ctx, w, p, c.Target, 0)
			return n, err
		})
}

type exportCasesCmd struct {
	PeriodFlags `embed:""`
	OutputFlags `embed:""`
	Department  string `placeholder:"ID" help:"Only this department's cases."`
	DBOption    `embed:""`
	TZOption    `embed:""`
}

func (c *exportCasesCmd) Run(ctx context.Context, std stdio) error {
	return exportFeedback(ctx, std, "cases", c.PeriodFlags, c.OutputFlags, c.DB, c.location(),
		func(svc *feedback.Service, w tabular.Writer, p feedback.Period) (int, error) {
			n, _, err := svc.ExportCases(ctx, w, p, c.Department, 0)
			return n, err
		})
}

// exportFeedback opens the database and writes one export to --out or
// stdout, reporting the row count on stderr.
func exportFeedback(ctx context.Context, std stdio, what string, pf PeriodFlags, of OutputFlags, dsn string, loc *time.Location,
	write func(*feedback.Service, tabular.Writer, feedback.Period) (int, error)) error {
	p, err := pf.period()
	if err != nil {
		return err
	}
	svc, done, err := openFeedback(ctx, dsn, loc)
	if err != nil {
		return err
	}
	defer done()
	w, closeOut, err := of.open(std, "exported "+what)
	if err != nil {
		return err
	}
	n, err := write(svc, w, p)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(std.err, "exported %d %s\n", n, what)
	return nil
}
