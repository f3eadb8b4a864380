package surveyform

import (
	"crypto/rand"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"

	surveyv1 "github.com/wenming/wenming/gen/go/wenming/survey/v1"
	"github.com/wenming/wenming/internal/web"
)

//go:embed templates static
var files embed.FS

// Prefix is where the questionnaire pages live.
const Prefix = "/s/"

// maxForm bounds a posted form: 300 questions of short answers fit easily.
const maxForm = 256 << 10

type handler struct {
	env       web.Env
	pages     *web.Pages
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
	mux := http.NewServeMux()
	mux.Handle("GET "+Prefix+"static/", static)
	mux.HandleFunc("GET "+Prefix+"{code}", h.form)
	mux.HandleFunc("POST "+Prefix+"{code}", h.submit)
	return web.App{Name: "surveyform", Patterns: []string{Prefix}, Handler: mux}, nil
}

// errorPage is what a failure shows: a sentence in Chinese.
type errorPage struct{ Title, Message string }

func (h *handler) failCall(w http.ResponseWriter, r *http.Request, err error) {
	p := web.ProblemOf(err)
	if p.Status >= 500 && h.env.Logger != nil {
		h.env.Logger.Error("surveyform: call failed", "path", r.URL.Path, "err", err)
	}
	msg := p.Message
	if p.Status == http.StatusNotFound {
		msg = "没有找到这份问卷，请检查链接或二维码是否正确。"
	}
	h.pages.Render(w, r, p.Status, "error", errorPage{Title: "无法打开问卷", Message: msg})
}

func (h *handler) form(w http.ResponseWriter, r *http.Request) {
	f, err := h.campaigns.GetCampaignForm(web.CallContext(r, ""), &surveyv1.GetCampaignFormRequest{Code: r.PathValue("code")})
	if err != nil {
		h.failCall(w, r, err)
		return
	}
	h.pages.Render(w, r, http.StatusOK, "form", newView(f, nil, newRequestID()))
}

func (h *handler) submit(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		h.pages.Render(w, r, http.StatusBadRequest, "error", errorPage{Title: "提交失败", Message: "提交的内容过大或格式不正确，请返回重试。"})
		return
	}
	ctx := web.CallContext(r, "")
	f, err := h.campaigns.GetCampaignForm(ctx, &surveyv1.GetCampaignFormRequest{Code: r.PathValue("code")})
	if err != nil {
		h.failCall(w, r, err)
		return
	}
	req, order := requestOf(f, r.PostForm)
	if _, err := h.responses.SubmitResponse(ctx, req); err != nil {
		p := web.ProblemOf(err)
		if p.Status != http.StatusBadRequest {
			h.failCall(w, r, err)
			return
		}
		// Show the form again with what was entered and the server's
		// reasons beside the questions; the same request id, so a second
		// press after fixing nothing is still one response.
		v := newView(f, r.PostForm, req.GetRequestId())
		v.placeProblems(violations(err), order)
		h.pages.Render(w, r, http.StatusUnprocessableEntity, "form", v)
		return
	}
	h.pages.Render(w, r, http.StatusOK, "thanks", struct{ Title string }{f.GetTitle()})
}

// violations lists the server's field violations in order. Not
// web.Problem.Fields: a map keeps one description per field, and every
// missing required answer is a violation of the same field, "answers".
func violations(err error) [][2]string {
	var out [][2]string
	st, _ := status.FromError(err)
	for _, d := range st.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, fv := range br.GetFieldViolations() {
				out = append(out, [2]string{fv.GetField(), fv.GetDescription()})
			}
		}
	}
	return out
}

// newRequestID is the idempotency key a rendered form carries, so a
// double tap or a resent POST is one response.
func newRequestID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}
