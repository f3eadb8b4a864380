package main

import (
	"fmt"
	"io"
	"os"

	"github.com/wenming/wenming/internal/progress"
	"github.com/wenming/wenming/internal/tabular"
)

// OutputFlags say where and how an export is written.
type OutputFlags struct {
	Out    string `placeholder:"FILE" help:"Write to this file instead of stdout."`
	Format string `enum:",csv,xlsx" default:"" help:"csv or xlsx (default: xlsx when --out ends in .xlsx, else csv)."`
	BOM    bool   `name:"bom" negatable:"" default:"true" help:"Start a CSV file with a UTF-8 byte-order mark, which Excel needs to read Chinese text; --no-bom (or --bom=false) leaves it out."`
}

// sheet is an export being written: rows go through a progress meter to
// the chosen format.
type sheet struct {
	tabular.Writer
	meter *progress.Meter
	rows  int
}

func (s *sheet) Write(row ...any) error {
	s.rows++
	if s.rows > 1 { // the header is not a row of data
		s.meter.Add(1)
	}
	return s.Writer.Write(row...)
}

// open starts the export file (or stdout); finish closes it and returns
// the first error.
func (o OutputFlags) open(std stdio, label string) (*sheet, func() error, error) {
	f, err := tabular.ParseFormat(o.Format, o.Out)
	if err != nil {
		return nil, nil, err
	}
	if f == tabular.XLSX && o.Out == "" {
		if progress.IsTerminal(std.out) {
			return nil, nil, fmt.Errorf("--format xlsx would print a binary file on the terminal; give --out FILE.xlsx or redirect stdout")
		}
	}
	var w io.Writer = std.out
	closeFile := func() error { return nil }
	if o.Out != "" {
		file, err := os.Create(o.Out)
		if err != nil {
			return nil, nil, err
		}
		w, closeFile = file, file.Close
	}
	tw, err := tabular.NewWriter(w, tabular.Options{Format: f, NoBOM: !o.BOM})
	if err != nil {
		closeFile()
		return nil, nil, err
	}
	s := &sheet{Writer: tw, meter: progress.New(std.err, label, 0, progress.Options{})}
	finish := func() error {
		err := tw.Close()
		if cerr := closeFile(); err == nil {
			err = cerr
		}
		s.meter.Done()
		return err
	}
	return s, finish, nil
}
