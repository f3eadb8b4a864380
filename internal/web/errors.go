package web

import (
	"errors"
	"net/http"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// Problem is what a page shows for a failed call: the HTTP status to
// answer with, a sentence in Chinese for the person in front of the
// screen, the server's own message (English, for staff and logs), the
// machine-readable reason when the server gave one, and the offending
// fields of a bad request.
type Problem struct {
	Status  int
	Code    codes.Code
	Message string // Chinese, for the page
	Detail  string // the server's message
	Reason  string // google.rpc.ErrorInfo reason, "" when none
	// Fields maps each offending field to every description the server
	// gave for it, in the order given: one field can be wrong in several
	// ways, and a list field ("answers") may carry many violations.
	Fields map[string][]string
	// Violations are the same in the server's order, with each one's
	// machine-readable reason (BadRequest.FieldViolation.reason, "" when
	// none): what a page matches, never the description's words.
	Violations []Violation
	// RetryAfter is the server's hint in seconds (0 when none).
	RetryAfter int
}

// Violation is one field violation of a BadRequest.
type Violation struct {
	Field, Description, Reason string
}

// ProblemOf reads a gRPC error returned by an RPC a page made.
func ProblemOf(err error) Problem {
	st, _ := status.FromError(err)
	if st == nil {
		st = status.New(codes.Unknown, "")
	}
	if errors.Is(err, http.ErrHandlerTimeout) {
		st = status.New(codes.DeadlineExceeded, err.Error())
	}
	p := Problem{
		Status:  runtime.HTTPStatusFromCode(st.Code()),
		Code:    st.Code(),
		Message: chineseMessage(st.Code()),
		Detail:  st.Message(),
		Fields:  map[string][]string{},
	}
	for _, d := range st.Details() {
		switch d := d.(type) {
		case *errdetails.BadRequest:
			for _, v := range d.GetFieldViolations() {
				p.Fields[v.GetField()] = append(p.Fields[v.GetField()], v.GetDescription())
				p.Violations = append(p.Violations, Violation{Field: v.GetField(), Description: v.GetDescription(), Reason: v.GetReason()})
			}
		case *errdetails.ErrorInfo:
			p.Reason = d.GetReason()
		case *errdetails.RetryInfo:
			p.RetryAfter = int(d.GetRetryDelay().AsDuration().Seconds() + 0.999)
		}
	}
	return p
}

func chineseMessage(c codes.Code) string {
	switch c {
	case codes.InvalidArgument, codes.OutOfRange:
		return "填写的内容有误，请检查标出的项目。"
	case codes.NotFound:
		return "没有找到要访问的内容，链接可能已失效。"
	case codes.AlreadyExists, codes.FailedPrecondition, codes.Aborted:
		return "当前状态不允许这样操作，请刷新后重试。"
	case codes.PermissionDenied:
		return "您没有权限进行此操作。"
	case codes.Unauthenticated:
		return "请先登录。"
	case codes.ResourceExhausted:
		return "操作太频繁，请稍后再试。"
	case codes.Unavailable, codes.DeadlineExceeded:
		return "服务暂时不可用，请稍后再试。"
	default:
		return "系统出现问题，请稍后再试。"
	}
}
