package server

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/types/known/emptypb"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/auth"
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

// Through the real gateway, an export asked for as CSV is a file with a
// byte-order mark and asked for as XLSX is a workbook with the same rows;
// JSON keeps the plain text.
func TestExportsOverHTTPAsCSVAndXLSX(t *testing.T) {
	t.Parallel()
	h := start(t, Config{})
	key, _, err := auth.NewKeys(h.srv.db).Create(context.Background(), auth.Analyst, "analyst", "")
	if err != nil {
		t.Fatal(err)
	}
	get := func(accept string) (string, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet,
			"http://"+h.srv.HTTPAddr()+"/v1/feedback/exports/ratings?start_date=2026-11-01&end_date=2026-11-30", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Accept", accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("Accept %s: %d %s", accept, resp.StatusCode, body)
		}
		return resp.Header.Get("Content-Type"), body
	}
	ct, body := get("text/csv")
	if ct != tabular.CSVType || !strings.HasPrefix(string(body), tabular.BOM+"rating_id,create_time,") {
		t.Errorf("CSV: %s %q", ct, body)
	}
	ct, body = get(tabular.XLSXType)
	text, read, err := tabular.Decode(body)
	if ct != tabular.XLSXType || err != nil || read.Format != tabular.XLSX || !strings.HasPrefix(text, "rating_id,create_time,") {
		t.Errorf("XLSX: %s, read back as %q (%v, %v)", ct, text, read, err)
	}
	_, body = get("application/json")
	if !strings.Contains(string(body), `"csv":"rating_id,`) {
		t.Errorf("JSON: %s", body)
	}
}
