package console

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/wenming/wenming/internal/tabular"
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

// CSVURL and XLSXURL are the table's download links.
func (t table) CSVURL() string  { return t.Base + "/tables/" + t.ID + ".csv" + t.Query }
func (t table) XLSXURL() string { return t.Base + "/tables/" + t.ID + ".xlsx" + t.Query }

// writeTable sends t as a file: CSV is UTF-8 with a byte-order mark,
// which Excel on a Chinese Windows needs to read UTF-8 rather than GBK;
// in XLSX numbers are numeric cells.
func writeTable(w http.ResponseWriter, t table, f tabular.Format) error {
	var buf bytes.Buffer
	tw, err := tabular.NewWriter(&buf, tabular.Options{Format: f})
	if err != nil {
		return err
	}
	head := make([]any, len(t.Cols))
	for i, c := range t.Cols {
		head[i] = c.Label
	}
	if err := tw.Write(head...); err != nil {
		return err
	}
	for _, row := range t.Rows {
		rec := make([]any, len(row))
		for i, c := range row {
			rec[i] = c.Text
			if c.IsNum {
				rec[i] = c.Num
			}
		}
		if err := tw.Write(rec...); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	download(w, t.Name+"."+string(f), f.ContentType(), buf.Bytes())
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
		if format == "csv" || format == "xlsx" {
			if err := writeTable(w, t, tabular.Format(format)); err != nil {
				h.problem(w, r, s, err)
			}
			return
		}
	}
	http.NotFound(w, r)
}
