package surveyform

import (
	"embed"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"

	"google.golang.org/grpc/codes"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/web"
)

//go:embed templates static
var files embed.FS

// Prefix is where the questionnaire pages live.
const Prefix = "/s/"

// maxForm bounds a posted form: 300 questions of short answers fit easily.
const maxForm = 256 << 10

// TokenPurpose names the sub-key of the server secret form tokens are
// signed with.
const TokenPurpose = "survey form token v1"

type handler struct {
	env       web.Env
	pages     *web.Pages
	tokens    web.FormTokens
	campaigns surveyv1.CampaignServiceClient
	responses surveyv1.ResponseServiceClient
}

// New builds the questionnaire page app.
func New(env web.Env) (web.App, error) {
	sfs, _ := fs.Sub(files, "static")
	tfs, _ := fs.Sub(files, "templates")
	static, err := web.NewStatic(sfs, Prefix+"static/")
	if err != nil {
		return web.App{}, err
	}
	pages, err := web.ParsePages(tfs, static, nil, env.Logger)
	if err != nil {
		return web.App{}, err
	}
	h := &handler{
		env: env, pages: pages,
		campaigns: surveyv1.NewCampaignServiceClient(env.Conn),
		responses: surveyv1.NewResponseServiceClient(env.Conn),
	}
	if env.SubKey != nil {
		h.tokens = web.NewFormTokens(env.SubKey(TokenPurpose), env.Now)
	}
	if !h.tokens.Ready() && env.Logger != nil {
		env.Logger.Warn("no --secret-key: the questionnaire page at /s/ cannot issue form tokens and refuses answers")
	}
	mux := http.NewServeMux()
	mux.Handle("GET "+Prefix+"static/", static)
	mux.HandleFunc("GET "+Prefix+"{code}", h.form)
	mux.HandleFunc("POST "+Prefix+"{code}", h.submit)
	return web.App{Name: "surveyform", Patterns: []string{Prefix}, Handler: mux}, nil
}

// errorPage is what a failure shows: a sentence in Chinese, and where to
// start again ("" for nowhere).
type errorPage struct{ Title, Message, Retry string }

func (h *handler) failCall(w http.ResponseWriter, r *http.Request, err error) {
	p := web.ProblemOf(err)
	if p.Status >= 500 && h.env.Logger != nil {
		h.env.Logger.Error("surveyform: call failed", "path", r.URL.Path, "err", err)
	}
	if p.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(p.RetryAfter))
	}
	msg := p.Message
	switch {
	case p.Status == http.StatusNotFound:
		msg = "没有找到这份问卷，请检查链接或二维码是否正确。"
	case apierr.Reason(p.Reason) == apierr.CampaignNotOpen:
		msg = "本次调查目前不在开放时间内，暂不接受提交。"
	case apierr.Reason(p.Reason) == apierr.AlreadyResponded:
		msg, p.Status = "您已经填写过这份问卷，每人只需填写一次，谢谢！", http.StatusConflict
	case apierr.Reason(p.Reason) == apierr.RequestIDReused:
		msg, p.Status = "这份问卷已经提交过，内容不能再更改。", http.StatusConflict
	case apierr.Reason(p.Reason) == apierr.ChannelNotOffered:
		msg = "这份问卷不通过网页填写，请联系调查员。"
	}
	e := errorPage{Title: "无法打开问卷", Message: msg}
	if r.Method == http.MethodPost {
		e.Title, e.Retry = "无法提交", again(r)
	}
	h.pages.Render(w, r, p.Status, "error", e)
}

// again is the link to a fresh copy of the questionnaire.
func again(r *http.Request) string { return Prefix + url.PathEscape(r.PathValue("code")) }

func (h *handler) form(w http.ResponseWriter, r *http.Request) {
	if !h.tokens.Ready() {
		h.pages.Render(w, r, http.StatusServiceUnavailable, "error", errorPage{Title: "无法打开问卷", Message: "问卷暂未开放，请稍后再试。"})
		return
	}
	f, err := h.campaigns.GetCampaignForm(web.CallContext(r, ""), &surveyv1.GetCampaignFormRequest{Code: r.PathValue("code")})
	if err != nil {
		h.failCall(w, r, err)
		return
	}
	requestID, token := h.tokens.Issue(f.GetCampaignId())
	// Kept privately so that the back button shows this very page again,
	// with its request id: submitting it twice records one response.
	w.Header().Set("Cache-Control", "private, no-cache")
	h.pages.Render(w, r, http.StatusOK, "form", newView(f, nil, requestID, token))
}

func (h *handler) submit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		h.pages.Render(w, r, http.StatusBadRequest, "error", errorPage{Title: "提交失败", Message: "提交的内容过大或格式不正确，请返回重试。", Retry: again(r)})
		return
	}
	ctx := web.CallContext(r, "")
	f, err := h.campaigns.GetCampaignForm(ctx, &surveyv1.GetCampaignFormRequest{Code: r.PathValue("code")})
	if err != nil {
		h.failCall(w, r, err)
		return
	}
	if why := h.tokens.CheckPosted(f.GetCampaignId(), r.PostForm); why != "" {
		if h.env.Logger != nil {
			h.env.Logger.Info("surveyform: submission refused", "why", why, "path", r.URL.Path)
		}
		h.pages.Render(w, r, http.StatusForbidden, "error", errorPage{
			Title:   "无法提交",
			Message: "这个问卷页面已失效（可能打开太久或不是从本站打开的）。请重新打开问卷再提交，谢谢。",
			Retry:   again(r),
		})
		return
	}
	req, order := requestOf(f, r.PostForm)
	err = web.RetryInFlight(r, func() error {
		_, err := h.responses.SubmitResponse(web.CallContext(r, ""), req)
		return err
	})
	if err != nil {
		p := web.ProblemOf(err)
		// FAILED_PRECONDITION is a 400 too; only bad answers are the
		// resident's to fix.
		if p.Code != codes.InvalidArgument {
			h.failCall(w, r, err)
			return
		}
		// Show the form again with what was entered and the server's
		// reasons beside the questions; the same request id and token, so
		// a second press after fixing nothing is still one response.
		v := newView(f, r.PostForm, req.GetRequestId(), r.PostForm.Get("token"))
		v.placeProblems(p.Violations, order)
		h.pages.Render(w, r, http.StatusUnprocessableEntity, "form", v)
		return
	}
	h.pages.Render(w, r, http.StatusOK, "thanks", struct{ Title string }{f.GetTitle()})
}
