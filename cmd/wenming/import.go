package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/wenming/wenming/internal/quiz"
	"github.com/wenming/wenming/internal/rpc"
)

// importCmd and exportCmd gather each domain's kinds; the kinds' types
// live in the domain's own file (import.go for quiz, feedback_cmds.go,
// civindex_cmds.go).
type importCmd struct {
	Questions importQuestionsCmd `cmd:"" help:"Add quiz questions from a YAML or CSV file, all or nothing."`
	Targets   importTargetsCmd   `cmd:"" help:"Add feedback targets (departments, windows, staff) from a YAML tree."`
	Framework importFrameworkCmd `cmd:"" help:"Add a civility-index framework from YAML."`
	Sites     importSitesCmd     `cmd:"" help:"Add civility-index sites from CSV."`
}

type exportCmd struct {
	Ratings exportRatingsCmd `cmd:"" help:"Ratings in a date range as CSV (contacts never exported)."`
	Cases   exportCasesCmd   `cmd:"" help:"Feedback cases opened in a date range as CSV."`
	Index   exportIndexCmd   `cmd:"" help:"A civility-index round's site scores as CSV."`
}

type importQuestionsCmd struct {
	File     string `arg:"" name:"file" placeholder:"FILE" type:"existingfile" help:"Question file; - reads standard input."`
	Format   string `enum:",yaml,csv" default:"" help:"yaml or csv (default: from the file name: .csv is CSV, anything else YAML)."`
	DBOption `embed:""`
}

// Help is shown under the command's usage.
func (c *importQuestionsCmd) Help() string {
	return `Adds every question in FILE to the quiz bank, all or nothing: any problem
rejects the whole file and lists each one with its line number. docs/quiz.md
describes both formats.`
}

func (c *importQuestionsCmd) Run(ctx context.Context, std stdio) error {
	format := c.Format
	if format == "" {
		format = quiz.FormatOf(c.File)
	}
	in, closeIn, err := openInput(c.File)
	if err != nil {
		return err
	}
	defer closeIn()
	svc, db, err := openService(ctx, c.DB, rpc.Deps{}, quiz.New)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := svc.ImportFile(ctx, format, in)
	if err != nil {
		return fmt.Errorf("%s: %w", c.File, err)
	}
	fmt.Fprintf(std.out, "imported %d questions from %s\n", n, c.File)
	return nil
}

// openInput opens name, or standard input for "-".
func openInput(name string) (io.Reader, func(), error) {
	if name == "-" {
		return os.Stdin, func() {}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

// createOutput opens --out, or stdout when it is empty.
func createOutput(name string, stdout io.Writer) (io.Writer, func() error, error) {
	if name == "" {
		return stdout, func() error { return nil }, nil
	}
	f, err := os.Create(name)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}
