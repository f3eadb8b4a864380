package server

import (
	"bytes"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"

	"github.com/wenming/wenming/internal/tabular"
)

// csvMIME is what an HTTP caller sends in Accept to get an export as a file.
const csvMIME = "text/csv"

// csvMarshaler answers "Accept: text/csv" requests: a response that carries
// CSV text (the export RPCs' `csv` field) is written as the raw file with a
// UTF-8 byte-order mark in front, so a spreadsheet (Excel on a Chinese
// Windows reads a file without one as GBK) or `curl -o` gets CSV rather
// than JSON; anything else — including errors — stays JSON. The JSON
// answer's `csv` field has no mark: programs reading it want plain text.
type csvMarshaler struct {
	*runtime.JSONPb
}

type csvCarrier interface{ GetCsv() string }

func (m csvMarshaler) ContentType(v any) string {
	if _, ok := v.(csvCarrier); ok {
		return tabular.CSVType
	}
	return m.JSONPb.ContentType(v)
}

func (m csvMarshaler) Marshal(v any) ([]byte, error) {
	if c, ok := v.(csvCarrier); ok {
		return []byte(tabular.BOM + c.GetCsv()), nil
	}
	return m.JSONPb.Marshal(v)
}

// xlsxMarshaler answers "Accept: <the XLSX type>" the same way with an
// Excel workbook made from the same CSV text (numbers as numeric cells).
type xlsxMarshaler struct {
	*runtime.JSONPb
}

func (m xlsxMarshaler) ContentType(v any) string {
	if _, ok := v.(csvCarrier); ok {
		return tabular.XLSXType
	}
	return m.JSONPb.ContentType(v)
}

func (m xlsxMarshaler) Marshal(v any) ([]byte, error) {
	if c, ok := v.(csvCarrier); ok {
		var b bytes.Buffer
		err := tabular.WriteCSVText(&b, c.GetCsv(), tabular.Options{Format: tabular.XLSX})
		return b.Bytes(), err
	}
	return m.JSONPb.Marshal(v)
}
