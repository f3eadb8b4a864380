package feedback

import (
	"context"
	"strings"
	"testing"

	"github.com/wenming/wenming/internal/store/storetest"
)

const goodTargets = `
targets:
  - kind: DEPARTMENT
    name: 机关食堂
    form:
      dimensions: [{key: taste, label: 饭菜口味}]
      tags: [菜品丰富, 排队太久]
    children:
      - kind: window
        name: 一楼打饭窗口
        children:
          - {kind: STAFF, name: 王师傅}
      - {kind: SERVICE_ITEM, name: 工作餐预订}
  - {kind: DEPARTMENT, name: 会议服务}
`

func TestParseTargetsReportsEveryProblemWithItsLine(t *testing.T) {
	t.Parallel()
	_, err := ParseTargetsYAML(strings.NewReader(`
targets:
  - kind: DEPARTMENT
    name: ""
    children:
      - {kind: DEPARTMENT, name: 子部门}
      - {kind: WINDOW, name: 窗口, children: [{kind: WINDOW, name: 窗中窗}]}
  - {kind: BUILDING, name: 大楼}
`))
	if err == nil {
		t.Fatal("bad file accepted")
	}
	for _, want := range []string{"line 3", "name: is required", "line 7", "a window cannot sit under a window", "line 8", "kind: must be"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
	if _, err := ParseTargetsYAML(strings.NewReader("targets:\n  - {kind: DEPARTMENT, nmae: x}\n")); err == nil ||
		!strings.Contains(err.Error(), "nmae") {
		t.Errorf("misspelt key: %v", err)
	}
	if _, err := ParseTargetsYAML(strings.NewReader("")); err == nil {
		t.Error("empty file accepted")
	}
}

func TestImportTargetsBuildsTheTreeAndIsRerunnable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := newTestService(t, storetest.Default(t), nil)
	specs, err := ParseTargetsYAML(strings.NewReader(goodTargets))
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.ImportTargets(ctx, specs)
	if err != nil || res.Created != 5 || res.Reused != 0 {
		t.Fatalf("first import %+v, %v", res, err)
	}
	res, err = s.ImportTargets(ctx, specs)
	if err != nil || res.Created != 0 || res.Reused != 5 {
		t.Fatalf("second import %+v, %v", res, err)
	}
	staff, err := listTargets(ctx, s.db.R, TargetFilter{Kind: Staff}, "", 10)
	if err != nil || len(staff) != 1 {
		t.Fatalf("staff %v, %v", staff, err)
	}
	// The staff member inherits the canteen's form and belongs to it.
	f, err := s.FormFor(ctx, s.db.R, staff[0])
	if err != nil || !f.HasDimension("taste") {
		t.Fatalf("inherited form %+v, %v", f, err)
	}
	canteen, err := getTarget(ctx, s.db.R, staff[0].DepartmentID)
	if err != nil || canteen.Name != "机关食堂" {
		t.Fatalf("owning department %+v, %v", canteen, err)
	}
}
