package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/wenming/wenming/internal/quiz"
	"github.com/wenming/wenming/internal/rpc"
)

const importQuestionsUsage = `usage:
  wenming import questions FILE [--format yaml|csv] [--db DSN]

Adds every question in FILE ("-" reads standard input) to the quiz bank, all
or nothing: any problem rejects the whole file and lists each one with its
line number. The format follows the file name (.csv is CSV, anything else
YAML) unless --format says otherwise; docs/quiz.md describes both.
`

// `wenming import questions` fills the quiz bank.
func init() { importKinds["questions"] = importQuestions }

func importQuestions(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import questions", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, importQuestionsUsage) }
	dsn := dbFlag(fs)
	format := fs.String("format", "", "yaml or csv (default: from the file name)")
	name, err := parseWithFile(fs, args)
	if err != nil {
		return err
	}
	if *format == "" {
		*format = quiz.FormatOf(name)
	}
	in := io.Reader(os.Stdin)
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	svc, db, err := openService(ctx, *dsn, rpc.Deps{}, quiz.New)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := svc.ImportFile(ctx, *format, in)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(stdout, "imported %d questions from %s\n", n, name)
	return nil
}
