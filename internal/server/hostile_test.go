package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"

	quizv1 "github.com/wenming/wenming/gen/go/wenming/quiz/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

// setFirstString puts bad into the first string field of m, looking into
// message fields (and one element of repeated ones) depth first, and
// returns that field's path, or "" if m holds no string anywhere.
func setFirstString(m protoreflect.Message, bad string) string {
	fields := m.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		switch {
		case fd.IsMap():
			continue
		case fd.Kind() == protoreflect.StringKind && fd.IsList():
			m.Mutable(fd).List().Append(protoreflect.ValueOfString(bad))
			return string(fd.Name()) + "[0]"
		case fd.Kind() == protoreflect.StringKind:
			m.Set(fd, protoreflect.ValueOfString(bad))
			return string(fd.Name())
		case fd.Kind() == protoreflect.MessageKind && fd.IsList():
			elem := m.Mutable(fd).List().AppendMutable().Message()
			if p := setFirstString(elem, bad); p != "" {
				return string(fd.Name()) + "[0]." + p
			}
			m.Clear(fd)
		case fd.Kind() == protoreflect.MessageKind:
			if p := setFirstString(m.Mutable(fd).Message(), bad); p != "" {
				return string(fd.Name()) + "." + p
			}
			m.Clear(fd)
		}
	}
	return ""
}

// Every method of every wenming service, called by an admin with a NUL
// (and, separately, bytes that are not UTF-8) in a string field, is
// INVALID_ARGUMENT naming that field: never INTERNAL, never stored.
func TestEveryMethodRefusesABadStringAsInvalidArgument(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		ctx := s.Ctx(auth.Admin)
		methods := 0
		protoregistry.GlobalFiles.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
			if !strings.HasPrefix(string(fd.Package()), "wenming.") {
				return true
			}
			for i := 0; i < fd.Services().Len(); i++ {
				svc := fd.Services().Get(i)
				for j := 0; j < svc.Methods().Len(); j++ {
					md := svc.Methods().Get(j)
					name := "/" + string(svc.FullName()) + "/" + string(md.Name())
					for _, bad := range []string{"a\x00b", "a\xffb"} {
						in, err := protoregistry.GlobalTypes.FindMessageByName(md.Input().FullName())
						if err != nil {
							t.Fatal(err)
						}
						req := in.New()
						field := setFirstString(req, bad)
						if field == "" {
							// Nothing a caller sends can carry text (e.g.
							// GetKiosk, GetCaller): no string, no rule.
							if hasStringField(in.Descriptor()) {
								t.Errorf("%s: could not set a string field of its request", name)
							}
							break
						}
						out, _ := protoregistry.GlobalTypes.FindMessageByName(md.Output().FullName())
						err = s.Conn.Invoke(ctx, name, req.Interface(), out.New().Interface())
						if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), field) {
							t.Errorf("%s with %q in %s: %v, want INVALID_ARGUMENT naming the field", name, bad, field, err)
						}
					}
					methods++
				}
			}
			return true
		})
		if methods < 70 {
			t.Errorf("walked %d methods; the registry should hold every wenming service", methods)
		}
	})
}

// The same refusals over HTTP, for text in a JSON body, a path and a query,
// on routes of each service.
func TestHostileTextOverHTTPIs400(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		tests := []struct {
			name         string
			role         auth.Role
			method, path string
			body         string
		}{
			{"NUL in an anonymous comment", "", "POST", "/v1/feedback/ratings", `{"target_id": "t1", "level": 4, "comment": "好\u0000"}`},
			{"escape in a display name", auth.Kiosk, "POST", "/v1/contests/c1/attempts", `{"display_name": "\u001b[2J王五"}`},
			{"bidi override in a display name", auth.Kiosk, "POST", "/v1/contests/c1/attempts", `{"display_name": "abc\u202egpj"}`},
			{"NUL in a framework name", auth.Admin, "POST", "/v1/frameworks", `{"framework": {"name": "体系\u0000"}}`},
			{"NUL in a question stem", auth.Admin, "POST", "/v1/questions", `{"question": {"stem": "题\u0000"}}`},
			{"invalid UTF-8 in a JSON body", "", "POST", "/v1/feedback/ratings", "{\"target_id\": \"t1\", \"level\": 4, \"comment\": \"\xff\"}"},
			{"invalid UTF-8 in a path", "", "GET", "/v1/feedback/targets/%FF/form", ""},
			{"NUL in a path", auth.Analyst, "GET", "/v1/sites/a%00b", ""},
			{"invalid UTF-8 in a query", auth.Admin, "GET", "/v1/questions?page_token=%FF", ""},
			{"escape in a query", auth.Analyst, "GET", "/v1/feedback/cases?department_id=%1B", ""},
		}
		for _, tt := range tests {
			var body any
			if tt.body != "" {
				body = tt.body
			}
			r := s.Do(t, tt.role, tt.method, tt.path, body)
			if r.Status != http.StatusBadRequest {
				t.Errorf("%s: %s %s = %d %s, want 400", tt.name, tt.method, tt.path, r.Status, r.Body)
			}
		}
	})
}

// Over gRPC: a display name with a terminal escape or a bidi override is
// refused before any attempt is started.
func TestDisplayNamesWithControlsAreRefusedOverGRPC(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		play := quizv1.NewPlayServiceClient(s.Conn)
		for _, name := range []string{"\x1b[2J王五", "abc\u202egpj", "张\x00三", "\xe5\xbc"} {
			_, err := play.StartAttempt(s.Ctx(auth.Kiosk), &quizv1.StartAttemptRequest{ContestId: "c1", DisplayName: name})
			if status.Code(err) != codes.InvalidArgument || !strings.Contains(err.Error(), "display_name") {
				t.Errorf("display name %q: %v, want INVALID_ARGUMENT naming display_name", name, err)
			}
		}
		var n int
		if err := s.DB.R.GetContext(context.Background(), &n, "SELECT COUNT(*) FROM attempts"); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("%d attempts stored", n)
		}
	})
}

// hasStringField reports whether md or a message it holds has a string
// field (recursion stops at messages already seen).
func hasStringField(md protoreflect.MessageDescriptor) bool {
	seen := map[protoreflect.FullName]bool{}
	var walk func(protoreflect.MessageDescriptor) bool
	walk = func(md protoreflect.MessageDescriptor) bool {
		if seen[md.FullName()] {
			return false
		}
		seen[md.FullName()] = true
		for i := 0; i < md.Fields().Len(); i++ {
			f := md.Fields().Get(i)
			if f.Kind() == protoreflect.StringKind || (f.Message() != nil && walk(f.Message())) {
				return true
			}
		}
		return false
	}
	return walk(md)
}
