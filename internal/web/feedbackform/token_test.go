package feedbackform

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/wenming/wenming/internal/web"
)

func TestTokenBindsTargetRequestIDAndExpiry(t *testing.T) {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tk := tokens{key: bytes.Repeat([]byte{1}, 32), now: func() time.Time { return now }}
	rid, tok := tk.issue("target-a")
	if err := tk.check("target-a", rid, tok); err != nil {
		t.Fatalf("fresh token refused: %v", err)
	}
	rid2, _ := tk.issue("target-a")
	if rid2 == rid {
		t.Fatal("two forms got the same request id")
	}
	other := tokens{key: bytes.Repeat([]byte{2}, 32), now: tk.now}
	for name, err := range map[string]error{
		"other target":     tk.check("target-b", rid, tok),
		"other request id": tk.check("target-a", rid2, tok),
		"other key":        other.check("target-a", rid, tok),
		"empty":            tk.check("target-a", rid, ""),
		"garbage":          tk.check("target-a", rid, "!!!"),
		"no request id":    tk.check("target-a", "", tok),
		"truncated":        tk.check("target-a", rid, tok[:len(tok)-2]),
	} {
		if err == nil {
			t.Errorf("%s: token accepted", name)
		}
	}
	now = now.Add(tokenTTL - time.Second)
	if err := tk.check("target-a", rid, tok); err != nil {
		t.Errorf("token refused a second before expiry: %v", err)
	}
	now = now.Add(time.Second)
	if err := tk.check("target-a", rid, tok); err != errTokenExpired {
		t.Errorf("expired token: %v", err)
	}
}

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
