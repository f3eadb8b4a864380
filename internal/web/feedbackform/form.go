package feedbackform

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc/codes"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/web"
)

// maxFormBytes bounds a POSTed form: 500 characters of comment and a few
// fields are far below it.
const maxFormBytes = 16 << 10

type choice struct {
	Value   int
	Label   string
	Checked bool
}

type dimView struct {
	Key, Label string
	Choices    []choice
	Error      string
}

type tagView struct {
	Name    string
	Checked bool
}

// formView is what form.html shows.
type formView struct {
	Code, TargetID, Name string
	Path                 []string
	Levels               []choice
	Dims                 []dimView
	Tags                 []tagView
	Comment, Contact     string
	MaxComment           int
	MaxContact           int
	Channel              string
	RequestID, Token     string
	// Errors by form field name ("level", "comment", …), in Chinese;
	// Message is the summary at the top.
	Errors  map[string]string
	Message string
}

// shortLabels are what the dimension choices show under their number.
var shortLabels = [5]string{"很差", "差", "一般", "好", "很好"}

func newFormView(f *feedbackv1.GetRatingFormResponse, code, channel string) *formView {
	v := &formView{
		Code: code, TargetID: f.GetTargetId(), Name: f.GetTargetName(), Path: f.GetTargetPath(),
		MaxComment: int(f.GetMaxCommentLength()), MaxContact: int(f.GetMaxContactLength()),
		Channel: channel, Errors: map[string]string{},
	}
	if len(v.Path) > 0 {
		v.Path = v.Path[:len(v.Path)-1] // the name itself is the heading
	}
	for _, l := range f.GetLevels() {
		v.Levels = append(v.Levels, choice{Value: int(l.GetValue()), Label: l.GetLabel()})
	}
	for _, d := range f.GetForm().GetDimensions() {
		dv := dimView{Key: d.GetKey(), Label: d.GetLabel()}
		for i, s := range shortLabels {
			dv.Choices = append(dv.Choices, choice{Value: i + 1, Label: s})
		}
		v.Dims = append(v.Dims, dv)
	}
	for _, t := range f.GetForm().GetTags() {
		v.Tags = append(v.Tags, tagView{Name: t})
	}
	return v
}

// channelOf reads ?c=qr, which the URL inside every printed QR code has.
func channelOf(s string) string {
	if s == "qr" {
		return "qr"
	}
	return "web"
}

// getForm reads the rating form of a public code, anonymously.
func (h *handler) getForm(r *http.Request, code string) (*feedbackv1.GetRatingFormResponse, error) {
	return h.ratings.GetRatingForm(web.CallContext(r, ""), &feedbackv1.GetRatingFormRequest{TargetCode: code})
}

func (h *handler) form(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if !h.tokens.Ready() {
		h.fail(w, r, http.StatusServiceUnavailable, errorPage{Message: "评价功能暂未开放，请稍后再试。"})
		return
	}
	f, err := h.getForm(r, code)
	if err != nil {
		h.failCall(w, r, err, "")
		return
	}
	v := newFormView(f, code, channelOf(r.URL.Query().Get("c")))
	v.RequestID, v.Token = h.tokens.Issue(f.GetTargetId())
	// Kept privately so that the back button shows this very page again,
	// with its request id: submitting it twice records one rating.
	w.Header().Set("Cache-Control", "private, no-cache")
	h.pages.Render(w, r, http.StatusOK, "form", v)
}

// thanksView is what thanks.html shows.
type thanksView struct {
	Code     string
	CaseCode string
	CaseDue  time.Time
}

func (h *handler) submit(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	again := Prefix + url.PathEscape(code)
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, http.StatusBadRequest, errorPage{Message: "提交的内容无法读取，请重新填写。", Retry: again})
		return
	}
	pf := r.PostForm
	targetID, requestID := pf.Get("target_id"), pf.Get("request_id")
	if why := h.tokens.CheckPosted(targetID, pf); why != "" {
		h.refuse(w, r, why, again)
		return
	}
	req := &feedbackv1.SubmitRatingRequest{
		TargetId: targetID, Level: atoi(pf.Get("level")), Comment: pf.Get("comment"),
		Contact: pf.Get("contact"), RequestId: requestID, Tags: pf["tag"],
		Channel: feedbackv1.Channel_CHANNEL_WEB,
	}
	if channelOf(pf.Get("channel")) == "qr" {
		req.Channel = feedbackv1.Channel_CHANNEL_QR
	}
	for k, vals := range pf {
		if key, ok := strings.CutPrefix(k, "dim_"); ok && len(vals) > 0 && vals[0] != "" {
			req.Dimensions = append(req.Dimensions, &feedbackv1.DimensionLevel{Key: key, Level: atoi(vals[0])})
		}
	}
	sortDims(req.Dimensions) // map order must not change the idempotency hash
	resp, err := h.send(r, req)
	if err != nil {
		h.submitFailed(w, r, err, req, code, again)
		return
	}
	tv := thanksView{Code: code, CaseCode: resp.GetCaseCode()}
	if resp.GetCaseDueTime() != nil {
		tv.CaseDue = resp.GetCaseDueTime().AsTime()
	}
	h.pages.Render(w, r, http.StatusOK, "thanks", tv)
}

// send submits the rating, waiting out a double tap's twin.
func (h *handler) send(r *http.Request, req *feedbackv1.SubmitRatingRequest) (resp *feedbackv1.SubmitRatingResponse, err error) {
	err = web.RetryInFlight(r, func() error {
		resp, err = h.ratings.SubmitRating(web.CallContext(r, ""), req)
		return err
	})
	return resp, err
}

// refuse answers a POST that did not come from a fresh form of ours.
func (h *handler) refuse(w http.ResponseWriter, r *http.Request, why, again string) {
	if h.env.Logger != nil {
		h.env.Logger.Info("feedbackform: submission refused", "why", why, "path", r.URL.Path)
	}
	h.fail(w, r, http.StatusForbidden, errorPage{
		Title:   "无法提交",
		Message: "这个评价页面已失效（可能打开太久或不是从本站打开的）。请重新打开评价页面再提交，谢谢。",
		Retry:   again,
	})
}

// submitFailed shows the form again with the server's objections, or an
// error page when the form cannot be fixed by the rater.
func (h *handler) submitFailed(w http.ResponseWriter, r *http.Request, err error, req *feedbackv1.SubmitRatingRequest, code, again string) {
	p := web.ProblemOf(err)
	switch p.Code {
	case codes.InvalidArgument:
	case codes.FailedPrecondition, codes.AlreadyExists:
		msg := "当前无法提交这份评价，请重新打开评价页面。"
		switch apierr.Reason(p.Reason) {
		case apierr.RequestIDReused:
			msg = "这份评价已经提交过，内容不能再更改。如需重新评价，请重新打开评价页面。"
		case apierr.TargetInactive:
			msg = "此窗口已停止接受评价，谢谢您的关注。"
		}
		h.fail(w, r, http.StatusConflict, errorPage{Title: "无法提交", Message: msg, Retry: again})
		return
	default:
		h.failCall(w, r, err, again)
		return
	}
	f, ferr := h.getForm(r, code)
	if ferr != nil {
		h.failCall(w, r, ferr, again)
		return
	}
	v := newFormView(f, code, channelOf(r.PostForm.Get("channel")))
	v.RequestID, v.Token = req.GetRequestId(), r.PostForm.Get("token")
	v.Comment, v.Contact = req.GetComment(), req.GetContact()
	fill(v, req)
	for field := range p.Fields {
		name, msg := fieldMessage(field, v, req)
		v.Errors[name] = msg
		for i := range v.Dims {
			if name == "dim_"+v.Dims[i].Key {
				v.Dims[i].Error = msg
			}
		}
	}
	v.Message = p.Message
	h.pages.Render(w, r, http.StatusBadRequest, "form", v)
}

// fill ticks what the rater had chosen.
func fill(v *formView, req *feedbackv1.SubmitRatingRequest) {
	for i := range v.Levels {
		v.Levels[i].Checked = v.Levels[i].Value == int(req.GetLevel())
	}
	for _, d := range req.GetDimensions() {
		for i := range v.Dims {
			if v.Dims[i].Key == d.GetKey() {
				for j := range v.Dims[i].Choices {
					v.Dims[i].Choices[j].Checked = v.Dims[i].Choices[j].Value == int(d.GetLevel())
				}
			}
		}
	}
	for i := range v.Tags {
		for _, t := range req.GetTags() {
			if t == v.Tags[i].Name {
				v.Tags[i].Checked = true
			}
		}
	}
}

// fieldMessage turns a field the API named into the form field it belongs
// to and a sentence for the rater. The API decided what is wrong; this
// only says it in Chinese.
func fieldMessage(field string, v *formView, req *feedbackv1.SubmitRatingRequest) (name, msg string) {
	switch {
	case field == "level":
		return "level", "请选择您的总体满意程度。"
	case field == "comment":
		return "comment", "意见最多 " + strconv.Itoa(v.MaxComment) + " 个字，请删减后再提交。"
	case field == "contact":
		return "contact", "联系方式最多 " + strconv.Itoa(v.MaxContact) + " 个字，请检查。"
	case strings.HasPrefix(field, "tags"):
		return "tag", "所选标签有误，请重新选择。"
	case strings.HasPrefix(field, "dimensions["):
		i, _ := strconv.Atoi(strings.Split(strings.TrimPrefix(field, "dimensions["), "]")[0])
		if i >= 0 && i < len(req.GetDimensions()) {
			return "dim_" + req.GetDimensions()[i].GetKey(), "请为此项选择 1 到 5 分。"
		}
		return "dim", "分项评分有误，请重新选择。"
	}
	return "form", "填写的内容有误，请检查。"
}

func sortDims(ds []*feedbackv1.DimensionLevel) {
	slices.SortFunc(ds, func(a, b *feedbackv1.DimensionLevel) int { return strings.Compare(a.GetKey(), b.GetKey()) })
}

// atoi reads a form number; anything else is 0, which the API refuses as
// out of range and names the field.
func atoi(s string) int32 {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < -1<<31 || n > 1<<31-1 {
		return 0
	}
	return int32(n)
}

func itoa(n int) string { return strconv.Itoa(n) }
