package supervision_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

// framework: two binary items of 10 points, A1 (公共秩序) and B1 (公共环境).
var frameworkJSON = map[string]any{"framework": map[string]any{
	"name": "督导测试",
	"dimensions": []any{
		map[string]any{"id": "D1", "name": "公共秩序", "indicators": []any{map[string]any{
			"id": "I1", "name": "交通秩序", "items": []any{
				map[string]any{"id": "A1", "name": "行人走斑马线", "max_points": 10, "method": "SCORING_METHOD_BINARY"},
			}}}},
		map[string]any{"id": "D2", "name": "公共环境", "indicators": []any{map[string]any{
			"id": "I2", "name": "环境卫生", "items": []any{
				map[string]any{"id": "B1", "name": "地面整洁", "max_points": 10, "method": "SCORING_METHOD_BINARY"},
			}}}},
	},
}}

type world struct {
	s         *testserver.Server
	framework string
	// sites by name: U1 has street1..3 and station1; U2 has street4, hall1.
	site   map[string]string
	sup    civindexv1.SupervisionServiceClient
	rounds civindexv1.RoundServiceClient
	ins    civindexv1.InspectionServiceClient
}

func setUp(t *testing.T, s *testserver.Server) *world {
	t.Helper()
	w := &world{
		s: s, site: map[string]string{},
		sup:    civindexv1.NewSupervisionServiceClient(s.Conn),
		rounds: civindexv1.NewRoundServiceClient(s.Conn),
		ins:    civindexv1.NewInspectionServiceClient(s.Conn),
	}
	r := s.Do(t, auth.Admin, http.MethodPost, "/v1/frameworks", frameworkJSON)
	if r.Status != http.StatusOK {
		t.Fatalf("create framework: %d %s", r.Status, r.Body)
	}
	w.framework = r.JSON(t)["framework"].(map[string]any)["id"].(string)
	if r := s.Do(t, auth.Admin, http.MethodPost, "/v1/frameworks/"+w.framework+":publish", map[string]any{}); r.Status != http.StatusOK {
		t.Fatalf("publish: %d %s", r.Status, r.Body)
	}
	r = s.Do(t, auth.Admin, http.MethodPost, "/v1/sites:import", map[string]any{"csv": "name,category,unit\n" +
		"street1,street,U1\nstreet2,street,U1\nstreet3,street,U1\nstation1,station,U1\nstreet4,street,U2\nhall1,service_hall,U2\n"})
	if r.Status != http.StatusOK {
		t.Fatalf("import sites: %d %s", r.Status, r.Body)
	}
	for _, x := range r.JSON(t)["sites"].([]any) {
		m := x.(map[string]any)
		w.site[m["name"].(string)] = m["id"].(string)
	}
	return w
}

func (w *world) ids(names ...string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = w.site[n]
	}
	return out
}

// round creates and opens a round of kind over the named sites in the
// given month of 2026.
func (w *world) round(t *testing.T, kind civindexv1.RoundKind, month int, names ...string) string {
	t.Helper()
	r, err := w.rounds.CreateRound(w.s.Ctx(auth.Admin), &civindexv1.CreateRoundRequest{
		Name: fmt.Sprintf("%s %d", kind, month), Kind: kind, FrameworkId: w.framework, FrameworkVersion: 1,
		StartTime: ts(2026, month, 1), EndTime: ts(2026, month, 28), SiteIds: w.ids(names...),
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.rounds.OpenRound(w.s.Ctx(auth.Admin), &civindexv1.OpenRoundRequest{Id: r.GetRound().GetId()}); err != nil {
		t.Fatal(err)
	}
	return r.GetRound().GetId()
}

func (w *world) closeRound(t *testing.T, id string) {
	t.Helper()
	if _, err := w.rounds.CloseRound(w.s.Ctx(auth.Admin), &civindexv1.CloseRoundRequest{Id: id}); err != nil {
		t.Fatal(err)
	}
}

// inspect records A1 and B1 as met or not at a site.
func (w *world) inspect(t *testing.T, round, site string, a1, b1 bool) *civindexv1.Inspection {
	t.Helper()
	r, err := w.ins.SubmitInspection(w.s.Ctx(auth.Inspector), &civindexv1.SubmitInspectionRequest{
		RoundId: round, SiteId: w.site[site],
		Results: []*civindexv1.ItemResult{{ItemId: "A1", Met: a1}, {ItemId: "B1", Met: b1}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return r.GetInspection()
}

func ts(y, m, d int) *timestamppb.Timestamp {
	return timestamppb.New(mustDate(y, m, d))
}

func commitmentOf(seedHex string) string {
	b, err := hex.DecodeString(seedHex)
	if err != nil {
		panic(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func mustDate(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
