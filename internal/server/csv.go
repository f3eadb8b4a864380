package server

import (
	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
)

// csvMIME is what an HTTP caller sends in Accept to get an export as a file.
const csvMIME = "text/csv"

// csvMarshaler answers "Accept: text/csv" requests: a response that carries
// CSV text (the export RPCs' `csv` field) is written as the raw file, so a
// spreadsheet or `curl -o` gets CSV rather than JSON; anything else —
// including errors — stays JSON.
type csvMarshaler struct {
	*runtime.JSONPb
}

type csvCarrier interface{ GetCsv() string }

func (m csvMarshaler) ContentType(v any) string {
	if _, ok := v.(csvCarrier); ok {
		return "text/csv; charset=utf-8"
	}
	return m.JSONPb.ContentType(v)
}

func (m csvMarshaler) Marshal(v any) ([]byte, error) {
	if c, ok := v.(csvCarrier); ok {
		return []byte(c.GetCsv()), nil
	}
	return m.JSONPb.Marshal(v)
}
