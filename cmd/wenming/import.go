package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/wenming/wenming/internal/quiz"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/tabular"
)

// importCmd and exportCmd gather each domain's kinds; the kinds' types
// live in the domain's own file (import.go for quiz, feedback_cmds.go,
// civindex_cmds.go).
type importCmd struct {
	Questions importQuestionsCmd `cmd:"" help:"Add quiz questions from a YAML, CSV or XLSX file, all or nothing."`
	Targets   importTargetsCmd   `cmd:"" help:"Add feedback targets (departments, windows, staff) from a YAML tree."`
	Framework importFrameworkCmd `cmd:"" help:"Add a civility-index framework from YAML."`
	Sites     importSitesCmd     `cmd:"" help:"Add civility-index sites from CSV or XLSX."`
	Ratings   importRatingsCmd   `cmd:"" help:"Load historical feedback ratings (with their times) from CSV or XLSX."`
}

type exportCmd struct {
	Ratings exportRatingsCmd `cmd:"" help:"Ratings in a date range as CSV or XLSX (contacts never exported)."`
	Cases   exportCasesCmd   `cmd:"" help:"Feedback cases opened in a date range as CSV or XLSX."`
	Index   exportIndexCmd   `cmd:"" help:"A civility-index round's site scores as CSV or XLSX."`
}

type importQuestionsCmd struct {
	File     string `arg:"" name:"file" placeholder:"FILE" type:"existingfile" help:"Question file; - reads standard input."`
	Format   string `enum:",yaml,csv,xlsx" default:"" help:"yaml, csv or xlsx (default: from the file name: .csv is CSV, .xlsx XLSX, anything else YAML). A CSV may be UTF-8 or GBK/GB18030."`
	DBOption `embed:""`
}

// Help is shown under the command's usage.
func (c *importQuestionsCmd) Help() string {
	return `Adds every question in FILE to the quiz bank, all or nothing: any problem
rejects the whole file and lists each one with its line number. docs/quiz.md
describes the formats; an XLSX file's first sheet holds the CSV columns.
Re-running is safe: a question whose category and stem match one in the
bank is not added again.`
}

func (c *importQuestionsCmd) Run(ctx context.Context, std stdio) error {
	format := c.Format
	if format == "" {
		format = quiz.FormatOf(c.File)
		if strings.EqualFold(filepath.Ext(c.File), ".xlsx") {
			format = "xlsx"
		}
	}
	var in io.Reader
	if format == "yaml" {
		r, closeIn, err := openInput(c.File)
		if err != nil {
			return err
		}
		defer closeIn()
		in = r
	} else {
		text, err := readSpreadsheet(std, c.File)
		if err != nil {
			return err
		}
		in, format = strings.NewReader(text), "csv"
	}
	svc, db, err := openService(ctx, c.DB, rpc.Deps{}, quiz.New)
	if err != nil {
		return err
	}
	defer db.Close()
	added, reused, err := svc.ImportFile(ctx, format, in)
	if err != nil {
		return fmt.Errorf("%s: %w", c.File, err)
	}
	fmt.Fprintf(std.out, "imported %d questions from %s, %d already in the bank (same category and stem)\n", added, c.File, reused)
	return nil
}

// readSpreadsheet reads a CSV (UTF-8 or GB18030) or XLSX file as UTF-8
// CSV text and says on stderr how it read it, so a wrong guess is seen.
func readSpreadsheet(std stdio, name string) (string, error) {
	in, closeIn, err := openInput(name)
	if err != nil {
		return "", err
	}
	defer closeIn()
	raw, err := io.ReadAll(io.LimitReader(in, maxSpreadsheetBytes+1))
	if err != nil {
		return "", err
	}
	if len(raw) > maxSpreadsheetBytes {
		return "", fmt.Errorf("%s: larger than %d MiB; split it", name, maxSpreadsheetBytes>>20)
	}
	text, read, err := tabular.Decode(raw)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	fmt.Fprintf(std.err, "reading %s as %s\n", name, read)
	return text, nil
}

// maxSpreadsheetBytes bounds an imported file (a year of ratings from a
// busy hall fits many times over).
const maxSpreadsheetBytes = 256 << 20

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
