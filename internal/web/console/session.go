package console

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	accountv1 "github.com/wenming/wenming/gen/go/wenming/account/v1"
	"github.com/wenming/wenming/internal/web"
)

// cookieName holds the session token; the API key never leaves the
// sign-in request.
const cookieName = "wm_console"

// staff is the signed-in person of a request.
type staff struct {
	token string
	KeyID string
	Name  string
	Role  string
	Scope string
	CSRF  string
}

// csrfToken derives the session's CSRF token: an HMAC of the session token
// under the server's console key. Only someone holding the cookie can
// compute it, and a cross-site form cannot read either; nothing is stored.
// Without a server secret the HMAC key is empty, which still needs the
// token, a secret 240-bit value.
func (h *handler) csrfToken(token string) string {
	m := hmac.New(sha256.New, h.csrfKey)
	m.Write([]byte("console csrf\x00" + token))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (h *handler) setCookie(w http.ResponseWriter, r *http.Request, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: value, Path: Prefix, MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: h.secureCookie || web.OverHTTPS(r),
	})
}

// staff wraps a handler that needs a signed-in person. GET pages without a
// live session go to the sign-in page; writes must carry the CSRF token
// and come from this origin.
func (h *handler) staff(next func(http.ResponseWriter, *http.Request, *staff)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		write := r.Method != http.MethodGet && r.Method != http.MethodHead
		c, err := r.Cookie(cookieName)
		if err != nil || c.Value == "" {
			h.signInAgain(w, r, write, "")
			return
		}
		resp, err := accountv1.NewSessionServiceClient(h.env.Conn).GetCaller(web.CallContext(r, c.Value), &accountv1.GetCallerRequest{})
		if status.Code(err) == codes.Unauthenticated {
			h.setCookie(w, r, "", -1)
			h.signInAgain(w, r, write, "会话已结束，请重新登录。")
			return
		}
		if err != nil {
			h.problem(w, r, nil, err)
			return
		}
		cl := resp.GetCaller()
		s := &staff{token: c.Value, KeyID: cl.GetKeyId(), Name: cl.GetName(), Role: cl.GetRole(),
			Scope: cl.GetScope(), CSRF: h.csrfToken(c.Value)}
		if write && !h.sameOriginWrite(r, s) {
			h.render(w, r, s, http.StatusForbidden, "problem", "请求被拒绝", web.Problem{
				Status: http.StatusForbidden, Message: "表单已失效或来源不明，请刷新页面后重试。",
				Reason: "CSRF_TOKEN_INVALID",
			})
			return
		}
		next(w, r, s)
	}
}

// sameOriginWrite checks a write's CSRF token, and refuses a browser's
// cross-site request outright (Sec-Fetch-Site) as a second line.
func (h *handler) sameOriginWrite(r *http.Request, s *staff) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" {
		return false
	}
	got := r.PostFormValue("csrf")
	return got != "" && hmac.Equal([]byte(got), []byte(s.CSRF))
}

func (h *handler) signInAgain(w http.ResponseWriter, r *http.Request, write bool, flash string) {
	if write {
		h.render(w, r, nil, http.StatusUnauthorized, "problem", "请先登录", web.Problem{
			Status: http.StatusUnauthorized, Message: "请先登录。", Reason: "NOT_SIGNED_IN",
		})
		return
	}
	q := url.Values{"next": {r.URL.RequestURI()}}
	if flash != "" {
		q.Set("m", "expired")
	}
	http.Redirect(w, r, Prefix+"/login?"+q.Encode(), http.StatusSeeOther)
}

// safeNext keeps a post-sign-in redirect inside the console.
func safeNext(next string) string {
	if !strings.HasPrefix(next, Prefix+"/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return Prefix + "/"
	}
	return next
}

type loginData struct {
	Next    string
	Message string
}

func (h *handler) loginPage(w http.ResponseWriter, r *http.Request) {
	d := loginData{Next: safeNext(r.URL.Query().Get("next"))}
	if r.URL.Query().Get("m") == "expired" {
		d.Message = "会话已结束，请重新登录。"
	}
	h.render(w, r, nil, http.StatusOK, "login", "登录", d)
}

// login trades the key for a session. The key travels only in this POST's
// body; it is never echoed back, logged, or kept.
func (h *handler) login(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.PostFormValue("next"))
	if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
		h.render(w, r, nil, http.StatusForbidden, "login", "登录", loginData{Next: next, Message: "请求来源不明，已拒绝。"})
		return
	}
	key := strings.TrimSpace(r.PostFormValue("key"))
	if key == "" {
		h.render(w, r, nil, http.StatusBadRequest, "login", "登录", loginData{Next: next, Message: "请输入 API 密钥。"})
		return
	}
	resp, err := accountv1.NewSessionServiceClient(h.env.Conn).CreateSession(web.CallContext(r, key), &accountv1.CreateSessionRequest{})
	if err != nil {
		p := web.ProblemOf(err)
		msg := p.Message
		if p.Code == codes.Unauthenticated {
			msg = "密钥无效或已被吊销。"
		}
		h.render(w, r, nil, p.Status, "login", "登录", loginData{Next: next, Message: msg})
		return
	}
	h.setCookie(w, r, resp.GetToken(), 0)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (h *handler) logout(w http.ResponseWriter, r *http.Request, s *staff) {
	_, err := accountv1.NewSessionServiceClient(h.env.Conn).DeleteSession(web.CallContext(r, s.token), &accountv1.DeleteSessionRequest{})
	if err != nil && status.Code(err) != codes.Unauthenticated {
		h.problem(w, r, s, err)
		return
	}
	h.setCookie(w, r, "", -1)
	http.Redirect(w, r, Prefix+"/login", http.StatusSeeOther)
}
