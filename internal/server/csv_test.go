package server

import (
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/types/known/emptypb"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/tabular"
)

func TestCSVMarshalerWritesExportsRaw(t *testing.T) {
	t.Parallel()
	m := csvMarshaler{&runtime.JSONPb{}}
	export := &feedbackv1.ExportRatingsResponse{Csv: "id,level\nr1,5\n", Rows: 1}
	got, err := m.Marshal(export)
	if err != nil || string(got) != "\ufeffid,level\nr1,5\n" {
		t.Errorf("Marshal(export) = %q, %v; want the CSV text alone after a byte-order mark", got, err)
	}
	if ct := m.ContentType(export); ct != "text/csv; charset=utf-8" {
		t.Errorf("ContentType(export) = %q", ct)
	}
	other, err := m.Marshal(&emptypb.Empty{})
	if err != nil || string(other) != "{}" || m.ContentType(&emptypb.Empty{}) != "application/json" {
		t.Errorf("a message without CSV = %q (%s), want JSON", other, m.ContentType(&emptypb.Empty{}))
	}
}

func TestXLSXMarshalerWritesAWorkbook(t *testing.T) {
	t.Parallel()
	m := xlsxMarshaler{&runtime.JSONPb{}}
	export := &feedbackv1.ExportRatingsResponse{Csv: "id,level\nr1,5\n", Rows: 1}
	got, err := m.Marshal(export)
	if err != nil {
		t.Fatal(err)
	}
	text, read, err := tabular.Decode(got)
	if err != nil || read.Format != tabular.XLSX || text != "id,level\nr1,5\n" {
		t.Errorf("the workbook reads back as %q (%v, %v)", text, read, err)
	}
	if ct := m.ContentType(export); ct != tabular.XLSXType {
		t.Errorf("ContentType(export) = %q", ct)
	}
}
