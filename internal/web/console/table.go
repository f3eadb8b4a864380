package console

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// table is one table a page shows and offers for download: the page
// renders it (partial_table.html) and the CSV and XLSX are written from
// the very same cells, so the three cannot disagree.
type table struct {
	// Name is the download's file name without extension, e.g. "站点排名".
	Name string
	// ID names the table in its download URL (…/tables/{ID}.csv).
	ID      string
	Caption string
	Cols    []column
	Rows    [][]cell
	// Base is the page path the download URLs hang off; Query, when set,
	// is the page's own query ("?a=…") the download needs too.
	Base  string
	Query string
}

type column struct {
	Label string
	Num   bool // right-aligned, sorted as a number
}

// cell is text, or a number shown with Digits decimals on the page but
// written at full precision (as the API sends it) to CSV and XLSX.
type cell struct {
	Text   string
	Num    float64
	IsNum  bool
	Digits int
	Link   string
}

func text(s string) cell                { return cell{Text: s} }
func link(s, href string) cell          { return cell{Text: s, Link: href} }
func num(v float64, digits int) cell    { return cell{Num: v, IsNum: true, Digits: digits} }
func count[T ~int32 | ~int64](v T) cell { return cell{Num: float64(v), IsNum: true} }

// Show is how the page shows the cell.
func (c cell) Show() string {
	if c.IsNum {
		return fixed(c.Num, c.Digits)
	}
	return c.Text
}

// Value is the sort key (data-value) for numeric cells.
func (c cell) Value() string { return strconv.FormatFloat(c.Num, 'g', -1, 64) }

// raw is the cell in a download: numbers at full precision.
func (c cell) raw() string {
	if c.IsNum {
		return strconv.FormatFloat(c.Num, 'f', -1, 64)
	}
	return c.Text
}

// CSVURL and XLSXURL are the table's download links.
func (t table) CSVURL() string  { return t.Base + "/tables/" + t.ID + ".csv" + t.Query }
func (t table) XLSXURL() string { return t.Base + "/tables/" + t.ID + ".xlsx" + t.Query }

// writeCSV sends t as UTF-8 CSV with a byte-order mark, which Excel on a
// Chinese Windows needs to read UTF-8 rather than GBK.
func writeCSV(w http.ResponseWriter, t table) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	head := make([]string, len(t.Cols))
	for i, c := range t.Cols {
		head[i] = c.Label
	}
	_ = cw.Write(head)
	for _, row := range t.Rows {
		rec := make([]string, len(row))
		for i, c := range row {
			rec[i] = c.raw()
		}
		_ = cw.Write(rec)
	}
	cw.Flush()
	download(w, t.Name+".csv", "text/csv; charset=utf-8", buf.Bytes())
}

// writeXLSX sends t as an Excel workbook; numbers are numeric cells.
func writeXLSX(w http.ResponseWriter, t table) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Sheet1"
	for i, c := range t.Cols {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		if err := f.SetCellValue(sheet, ref, c.Label); err != nil {
			return err
		}
	}
	for r, row := range t.Rows {
		for i, c := range row {
			ref, _ := excelize.CoordinatesToCellName(i+1, r+2)
			var v any = c.Text
			if c.IsNum {
				v = c.Num
			}
			if err := f.SetCellValue(sheet, ref, v); err != nil {
				return err
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	download(w, t.Name+".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
	return nil
}

func download(w http.ResponseWriter, name, ctype string, body []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Disposition", fmt.Sprintf("attachment; filename*=UTF-8''%s", url.PathEscape(name)))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// download answers …/tables/{file}: it reads the page's tables (the same
// calls the page makes) and sends the one file names, as CSV or XLSX.
func (h *handler) download(w http.ResponseWriter, r *http.Request, s *staff, load func() ([]table, error)) {
	id, format, _ := strings.Cut(r.PathValue("file"), ".")
	tables, err := load()
	if err != nil {
		h.problem(w, r, s, err)
		return
	}
	for _, t := range tables {
		if t.ID != id {
			continue
		}
		switch format {
		case "csv":
			writeCSV(w, t)
			return
		case "xlsx":
			if err := writeXLSX(w, t); err != nil {
				h.problem(w, r, s, err)
			}
			return
		}
	}
	http.NotFound(w, r)
}
