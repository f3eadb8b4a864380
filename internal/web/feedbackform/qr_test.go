package feedbackform

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/wenming/wenming/internal/web"
)

// The SVG draws exactly the modules of the QR code: read the path back
// into a grid and compare it with the library's bitmap.
func TestQRSVGDrawsEveryModule(t *testing.T) {
	const u = "https://pj.example.test/f/ABCD2345?c=qr"
	svg, err := qrSVG(u, `窗口 <"&>`)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := qrcode.New(u, qrcode.Medium)
	want := q.Bitmap()
	n := len(want)
	if !strings.Contains(string(svg), `viewBox="0 0 `+strconv.Itoa(n)+" "+strconv.Itoa(n)+`"`) {
		t.Fatalf("viewBox does not match %d modules: %.200s", n, svg)
	}
	if strings.Contains(string(svg), `<"&>`) {
		t.Errorf("label not escaped: %s", svg)
	}
	got := make([][]bool, n)
	for i := range got {
		got[i] = make([]bool, n)
	}
	for _, m := range regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`).FindAllStringSubmatch(string(svg), -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		for i := x; i < x+w; i++ {
			if got[y][i] {
				t.Fatalf("module %d,%d drawn twice", i, y)
			}
			got[y][i] = true
		}
	}
	for y := range want {
		for x := range want[y] {
			if got[y][x] != want[y][x] {
				t.Fatalf("module %d,%d: drawn %v, want %v", x, y, got[y][x], want[y][x])
			}
		}
	}
}

// Without --public-url a poster would encode a useless address, so the
// poster page and the QR endpoints refuse before asking the API anything.
func TestPostersRefusedWithoutPublicURL(t *testing.T) {
	app, err := New(web.Env{SubKey: func(string) []byte { return bytes.Repeat([]byte{1}, 32) }})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/f/posters/x", "/v1/targets/x/qr.svg", "/v1/targets/x/qr.png"} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Authorization", "Bearer some-admin-key")
		rec := httptest.NewRecorder()
		app.Handler.ServeHTTP(rec, req)
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "--public-url") {
			t.Errorf("%s: %d %s", path, rec.Code, rec.Body.String())
		}
	}
}
