package feedbackform

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	qrcode "github.com/skip2/go-qrcode"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/web"
)

// Invitation is the line printed under every QR code.
const Invitation = "请扫码评价我们的服务，您的意见我们认真对待。"

// adminKey reads the key a poster request carries: "Authorization: Bearer
// KEY", or HTTP Basic with the key as password, which is what a browser
// prompts for when an admin opens the poster page. Whether it is an admin
// key is for the API to say.
func adminKey(r *http.Request) string {
	if k, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return strings.TrimSpace(k)
	}
	if _, pw, ok := r.BasicAuth(); ok {
		return pw
	}
	return ""
}

// posterTargets asks the API for what to print, with the caller's key, so
// the access rule is the API's (admins only).
func (h *handler) posterTargets(w http.ResponseWriter, r *http.Request, subtree bool) ([]*feedbackv1.PosterTarget, bool) {
	if h.env.PublicURL == "" {
		h.fail(w, r, http.StatusServiceUnavailable, errorPage{Title: "无法打印海报",
			Message: "服务器没有配置公开地址（--public-url），二维码里不知道该放什么网址。请管理员配置后再打印。"})
		return nil, false
	}
	key := adminKey(r)
	if key == "" {
		w.Header().Set("WWW-Authenticate", `Basic realm="wenming admin", charset="UTF-8"`)
		h.fail(w, r, http.StatusUnauthorized, errorPage{Title: "请先登录",
			Message: "打印海报需要管理员密钥：用户名随意，密码填管理员密钥。"})
		return nil, false
	}
	resp, err := h.targets.ListPosterTargets(web.CallContext(r, key),
		&feedbackv1.ListPosterTargetsRequest{TargetId: r.PathValue("id"), Subtree: subtree})
	if err != nil {
		h.failCall(w, r, err, "")
		return nil, false
	}
	return resp.GetTargets(), true
}

// formURL is the address inside a target's QR code.
func (h *handler) formURL(code string) string {
	return strings.TrimRight(h.env.PublicURL, "/") + Prefix + url.PathEscape(code) + "?c=qr"
}

type posterView struct {
	Name, Path, URL, Invitation string
	QR                          template.HTML
}

func (h *handler) posters(w http.ResponseWriter, r *http.Request) {
	ts, ok := h.posterTargets(w, r, r.URL.Query().Get("subtree") == "1")
	if !ok {
		return
	}
	var vs []posterView
	for _, t := range ts {
		u := h.formURL(t.GetTarget().GetPublicCode())
		svg, err := qrSVG(u, t.GetTarget().GetName())
		if err != nil {
			h.failCall(w, r, err, "")
			return
		}
		p := t.GetPathNames()
		vs = append(vs, posterView{
			Name: t.GetTarget().GetName(), Path: strings.Join(p[:max(len(p)-1, 0)], " › "),
			URL: u, Invitation: Invitation, QR: svg,
		})
	}
	w.Header().Set("Cache-Control", "private, no-store")
	h.pages.Render(w, r, http.StatusOK, "posters", vs)
}

func (h *handler) qrSVG(w http.ResponseWriter, r *http.Request) {
	ts, ok := h.posterTargets(w, r, false)
	if !ok || len(ts) == 0 {
		return
	}
	svg, err := qrSVG(h.formURL(ts[0].GetTarget().GetPublicCode()), ts[0].GetTarget().GetName())
	if err != nil {
		h.failCall(w, r, err, "")
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Cache-Control", "private, no-cache")
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + string(svg)))
}

func (h *handler) qrPNG(w http.ResponseWriter, r *http.Request) {
	ts, ok := h.posterTargets(w, r, false)
	if !ok || len(ts) == 0 {
		return
	}
	q, err := qrcode.New(h.formURL(ts[0].GetTarget().GetPublicCode()), qrcode.Medium)
	if err == nil {
		var png []byte
		if png, err = q.PNG(512); err == nil {
			w.Header().Set("Content-Type", "image/png")
			w.Header().Set("Cache-Control", "private, no-cache")
			_, _ = w.Write(png)
			return
		}
	}
	h.failCall(w, r, err, "")
}

// qrSVG draws the QR code of text as an SVG: one path of unit squares on
// the module grid (quiet zone included), so it prints sharp at any size.
func qrSVG(text, label string) (template.HTML, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", err
	}
	bits := q.Bitmap()
	n := len(bits)
	var d strings.Builder
	for y, row := range bits {
		for x := 0; x < n; {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < n && row[x] {
				x++
			}
			fmt.Fprintf(&d, "M%d %dh%dv1h-%dz", start, y, x-start, x-start)
		}
	}
	// The label is escaped by hand: this string is trusted HTML in the
	// poster template.
	return template.HTML(fmt.Sprintf(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" role="img" aria-label="%s" shape-rendering="crispEdges">`+
			`<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		n, n, template.HTMLEscapeString("评价二维码："+label), n, n, d.String())), nil
}
