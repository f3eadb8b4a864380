package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/feedback"
	"github.com/wenming/wenming/internal/rpc"
)

// `wenming import targets`, `wenming export ratings` and `wenming export
// cases` are the feedback kinds of the shared import/export commands.
func init() {
	importKinds["targets"] = importTargets
	exportKinds["ratings"] = func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		return exportFeedback(ctx, "ratings", args, stdout, stderr)
	}
	exportKinds["cases"] = func(ctx context.Context, args []string, stdout, stderr io.Writer) error {
		return exportFeedback(ctx, "cases", args, stdout, stderr)
	}
}

const importTargetsUsage = `usage:
  wenming import targets FILE [--db DSN] [--timezone TZ]

Adds the feedback targets of a YAML tree (docs/feedback.md), all or nothing;
every problem is listed with its line number. Re-running is safe: entries
already present (same kind and name under the same parent) are reused.
`

const exportFeedbackUsage = `usage:
  wenming export ratings --from YYYY-MM-DD --to YYYY-MM-DD [--target ID] [--out FILE] [--db DSN]
  wenming export cases   --from YYYY-MM-DD --to YYYY-MM-DD [--department ID] [--out FILE] [--db DSN]

CSV (UTF-8, header row) to stdout or --out; contacts are never exported.
Dates are local dates in --timezone, both included.
`

// openFeedback opens and migrates the database and builds the feedback
// service in the configured time zone.
func openFeedback(ctx context.Context, dsn, tz string) (*feedback.Service, func(), error) {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, nil, fmt.Errorf("--timezone: %w", err)
	}
	svc, db, err := openService(ctx, dsn, rpc.Deps{Location: loc}, feedback.New)
	if err != nil {
		return nil, nil, err
	}
	return svc, func() { db.Close() }, nil
}

func timezoneFlag(fs *flag.FlagSet) *string {
	return fs.String("timezone", envOr("WENMING_TIMEZONE", "Asia/Shanghai"), "time zone of dates (env WENMING_TIMEZONE)")
}

// importTargets runs "wenming import targets FILE".
func importTargets(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import targets", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, importTargetsUsage) }
	dsn := dbFlag(fs)
	tz := timezoneFlag(fs)
	name, err := parseWithFile(fs, args)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fs.Usage()
		}
		return err
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	specs, err := feedback.ParseTargetsYAML(f)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	svc, done, err := openFeedback(ctx, *dsn, *tz)
	if err != nil {
		return err
	}
	defer done()
	res, err := svc.ImportTargets(ctx, specs)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %d target(s), %d already present\n", res.Created, res.Reused)
	return nil
}

// exportFeedback runs "wenming export ratings|cases".
func exportFeedback(ctx context.Context, what string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export "+what, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, exportFeedbackUsage) }
	dsn := dbFlag(fs)
	tz := timezoneFlag(fs)
	from := fs.String("from", "", "first local date, YYYY-MM-DD (required)")
	to := fs.String("to", "", "last local date, YYYY-MM-DD, included (required)")
	target := fs.String("target", "", "ratings: only this target and its subtree")
	dept := fs.String("department", "", "cases: only this department")
	out := fs.String("out", "", "write to this file instead of stdout")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("export %s takes no arguments, got %q", what, fs.Arg(0))
	}
	var v apierr.Violations
	p := feedback.ParsePeriod(&v, *from, *to)
	if lines := v.Lines(); len(lines) > 0 {
		msg := strings.NewReplacer("start_date", "--from", "end_date", "--to").Replace(strings.Join(lines, "; "))
		return errors.New(msg)
	}
	svc, done, err := openFeedback(ctx, *dsn, *tz)
	if err != nil {
		return err
	}
	defer done()
	w := stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	var n int
	if what == "ratings" {
		n, _, err = svc.ExportRatings(ctx, w, p, *target, 0)
	} else {
		n, _, err = svc.ExportCases(ctx, w, p, *dept, 0)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "exported %d %s\n", n, what)
	return nil
}
