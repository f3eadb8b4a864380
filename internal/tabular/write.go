package tabular

import (
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Format is a spreadsheet file format.
type Format string

const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// XLSXType is the content type of an XLSX file.
const XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// CSVType is the content type of a CSV file.
const CSVType = "text/csv; charset=utf-8"

// BOM is the UTF-8 byte-order mark.
const BOM = "\ufeff"

// ContentType is f's MIME type.
func (f Format) ContentType() string {
	if f == XLSX {
		return XLSXType
	}
	return CSVType
}

// ParseFormat reads "csv" or "xlsx" (any case); "" picks from name's
// extension (.xlsx is XLSX, anything else CSV).
func ParseFormat(s, name string) (Format, error) {
	switch strings.ToLower(s) {
	case "csv":
		return CSV, nil
	case "xlsx":
		return XLSX, nil
	case "":
		if strings.EqualFold(filepath.Ext(name), ".xlsx") {
			return XLSX, nil
		}
		return CSV, nil
	}
	return "", fmt.Errorf("unknown format %q; want csv or xlsx", s)
}

// Options say how NewWriter writes.
type Options struct {
	Format Format
	// NoBOM leaves the byte-order mark out of a CSV file (for programs
	// that do not expect one). XLSX has none.
	NoBOM bool
	// Sheet names the XLSX sheet (default "Sheet1").
	Sheet string
}

// Writer takes a table one row at a time. A cell is a string (text), an
// integer or a float64 (numbers), or a bool (written true/false). Close
// finishes the file; nothing is complete until it returns nil.
type Writer interface {
	Write(row ...any) error
	Close() error
}

// NewWriter starts a file on w.
func NewWriter(w io.Writer, o Options) (Writer, error) {
	if o.Format == XLSX {
		return newXLSXWriter(w, o.Sheet)
	}
	if !o.NoBOM {
		if _, err := io.WriteString(w, BOM); err != nil {
			return nil, err
		}
	}
	return &csvWriter{w: csv.NewWriter(w)}, nil
}

type csvWriter struct {
	w   *csv.Writer
	rec []string
}

func (c *csvWriter) Write(row ...any) error {
	c.rec = c.rec[:0]
	for _, v := range row {
		c.rec = append(c.rec, csvCell(v))
	}
	return c.w.Write(c.rec)
}

func (c *csvWriter) Close() error {
	c.w.Flush()
	return c.w.Error()
}

// csvCell formats v; text that starts like a formula (=, +, -, @, tab,
// CR) and is not a number gets a leading apostrophe, so a spreadsheet
// shows it instead of running it (CSV injection).
func csvCell(v any) string {
	switch x := v.(type) {
	case string:
		if x != "" && strings.ContainsRune("=+-@\t\r", rune(x[0])) {
			if _, err := strconv.ParseFloat(x, 64); err != nil {
				return "'" + x
			}
		}
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case nil:
		return ""
	default:
		return fmt.Sprint(x)
	}
}

type xlsxWriter struct {
	out  io.Writer
	f    *excelize.File
	sw   *excelize.StreamWriter
	row  int
	vals []any
}

func newXLSXWriter(w io.Writer, sheet string) (*xlsxWriter, error) {
	f := excelize.NewFile()
	if sheet != "" && sheet != "Sheet1" {
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			f.Close()
			return nil, err
		}
	} else {
		sheet = "Sheet1"
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &xlsxWriter{out: w, f: f, sw: sw}, nil
}

func (x *xlsxWriter) Write(row ...any) error {
	x.row++
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	x.vals = x.vals[:0]
	for _, v := range row {
		if b, ok := v.(bool); ok {
			v = strconv.FormatBool(b)
		}
		x.vals = append(x.vals, v)
	}
	return x.sw.SetRow(cell, x.vals)
}

func (x *xlsxWriter) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	return x.f.Write(x.out)
}

// WriteCSVText copies UTF-8 CSV text (as the export RPCs return it) into a
// file of the chosen format. CSV is copied as it is (it is already
// defused), with the byte-order mark unless NoBOM; in XLSX, cells that are
// plainly numbers become numeric cells (the header row stays text).
func WriteCSVText(w io.Writer, text string, o Options) error {
	text = strings.TrimPrefix(text, BOM)
	if o.Format != XLSX {
		if !o.NoBOM {
			text = BOM + text
		}
		_, err := io.WriteString(w, text)
		return err
	}
	cr := csv.NewReader(strings.NewReader(text))
	cr.FieldsPerRecord = -1
	out, err := newXLSXWriter(w, o.Sheet)
	if err != nil {
		return err
	}
	for first := true; ; first = false {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			out.f.Close()
			return err
		}
		row := make([]any, len(rec))
		for i, s := range rec {
			row[i] = s
			if !first {
				row[i] = Guess(s)
			}
		}
		if err := out.Write(row...); err != nil {
			out.f.Close()
			return err
		}
	}
	return out.Close()
}

// Guess turns text that is plainly a number (no leading zero that a code
// would keep, no leading apostrophe) into a float64 for a numeric cell.
func Guess(s string) any {
	if s == "" || (len(s) > 1 && s[0] == '0' && s[1] != '.') {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || strings.ContainsAny(s, "eEInfinityNaN_xX") {
		return s
	}
	return f
}

// Sheet is one named sheet of a workbook, its rows as Writer takes them.
type Sheet struct {
	Name string
	Rows [][]any
}

// WriteWorkbook writes an XLSX workbook of several sheets, in order.
func WriteWorkbook(w io.Writer, sheets ...Sheet) error {
	if len(sheets) == 0 {
		return fmt.Errorf("tabular: a workbook needs a sheet")
	}
	x, err := newXLSXWriter(w, sheets[0].Name)
	if err != nil {
		return err
	}
	for i, sh := range sheets {
		if i > 0 {
			if err := x.sw.Flush(); err != nil {
				x.f.Close()
				return err
			}
			if _, err := x.f.NewSheet(sh.Name); err != nil {
				x.f.Close()
				return err
			}
			if x.sw, err = x.f.NewStreamWriter(sh.Name); err != nil {
				x.f.Close()
				return err
			}
			x.row = 0
		}
		for _, row := range sh.Rows {
			if err := x.Write(row...); err != nil {
				x.f.Close()
				return err
			}
		}
	}
	return x.Close()
}
