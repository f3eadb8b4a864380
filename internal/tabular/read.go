package tabular

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Read says what Decode found, in words an operator can check: "XLSX
// (sheet 站点)", "CSV, UTF-8", "CSV, UTF-8 with BOM", "CSV, GB18030".
type Read struct {
	Format   Format
	Encoding string // CSV only
	Sheet    string // XLSX only
}

func (r Read) String() string {
	if r.Format == XLSX {
		return fmt.Sprintf("XLSX (sheet %s)", r.Sheet)
	}
	return "CSV, " + r.Encoding
}

// Decode turns an uploaded spreadsheet into UTF-8 CSV text without a
// byte-order mark (see the package comment for how it tells formats and
// encodings apart).
func Decode(data []byte) (string, Read, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return decodeXLSX(data)
	}
	if rest, ok := bytes.CutPrefix(data, []byte(BOM)); ok {
		return string(rest), Read{Format: CSV, Encoding: "UTF-8 with BOM"}, nil
	}
	if utf8.Valid(data) {
		return string(data), Read{Format: CSV, Encoding: "UTF-8"}, nil
	}
	text, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return "", Read{}, fmt.Errorf("neither UTF-8 nor GB18030 text: %w", err)
	}
	return string(text), Read{Format: CSV, Encoding: "GB18030"}, nil
}

// decodeXLSX reads the first sheet's cells as shown (formatted values) and
// writes them as CSV, so one parser serves both formats and a row's number
// is its line number.
func decodeXLSX(data []byte) (string, Read, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return "", Read{}, fmt.Errorf("not a readable XLSX workbook: %w", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return "", Read{}, fmt.Errorf("the workbook has no sheet")
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return "", Read{}, err
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	width := 0
	for _, r := range rows {
		width = max(width, len(r))
	}
	for _, r := range rows {
		for len(r) < width {
			r = append(r, "")
		}
		// Embedded line breaks would shift CSV line numbers from row
		// numbers; a cell's line break becomes a space.
		for i, s := range r {
			r[i] = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
		}
		if err := w.Write(r); err != nil {
			return "", Read{}, err
		}
	}
	w.Flush()
	return b.String(), Read{Format: XLSX, Sheet: sheets[0]}, w.Error()
}
