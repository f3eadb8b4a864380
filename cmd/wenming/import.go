package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/wenming/wenming/internal/quiz"
	"github.com/wenming/wenming/internal/store"
)

const importQuestionsUsage = `usage:
  wenming import questions FILE [--format yaml|csv] [--db DSN]

Adds every question in FILE ("-" reads standard input) to the quiz bank, all
or nothing: any problem rejects the whole file and lists each one with its
line number. The format follows the file name (.csv is CSV, anything else
YAML) unless --format says otherwise; docs/quiz.md describes both.
`

// quizCmd returns cmd when cmd and its first argument name a quiz command
// (`import questions`), and otherwise a string no command equals, so main's
// switch can route it here while other domains keep their own import kinds.
func quizCmd(cmd string, args []string) string {
	if cmd == "import" && len(args) > 0 && args[0] == "questions" {
		return cmd
	}
	return "\x00not quiz"
}

func importQuestions(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import questions", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, importQuestionsUsage) }
	dsn := dbFlag(fs)
	format := fs.String("format", "", "yaml or csv (default: from the file name)")
	// Flags may come before or after FILE.
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("import questions needs a FILE")
	}
	name := fs.Arg(0)
	if err := fs.Parse(fs.Args()[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected arguments %v", fs.Args())
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
	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	n, err := quiz.ImportFile(ctx, db, *format, in)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(stdout, "imported %d questions from %s\n", n, name)
	return nil
}
