package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/feedback"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/store"
)

// feedbackTargets is a municipal offices-administration bureau (机关事务管理局):
// its five service departments with windows, staff and service items.
const feedbackTargets = `
targets:
  - kind: DEPARTMENT
    name: 机关食堂
    form:
      dimensions: [{key: taste, label: 饭菜口味}, {key: attitude, label: 服务态度}, {key: hygiene, label: 卫生状况}, {key: environment, label: 就餐环境}]
      tags: [菜品丰富, 口味好, 分量足, 干净卫生, 排队太久, 饭菜偏咸, 餐具不洁, 态度生硬]
    children:
      - kind: WINDOW
        name: 一楼自选餐窗口
        children: [{kind: STAFF, name: 李阿姨}]
      - kind: WINDOW
        name: 二楼面食窗口
        children: [{kind: STAFF, name: 王师傅}]
      - {kind: WINDOW, name: 清真窗口}
      - {kind: SERVICE_ITEM, name: 工作餐预订}
  - kind: DEPARTMENT
    name: 住宅小区物业管理
    form:
      dimensions: [{key: attitude, label: 服务态度}, {key: repair, label: 维修及时}, {key: cleaning, label: 环境卫生}, {key: security, label: 安全秩序}]
      tags: [维修及时, 保洁到位, 门岗认真, 态度热情, 报修无人理, 垃圾清运不及时, 停车混乱, 推诿扯皮]
    children:
      - kind: WINDOW
        name: 物业服务中心前台
        children: [{kind: STAFF, name: 刘管家}]
      - kind: WINDOW
        name: 报事报修窗口
        children: [{kind: STAFF, name: 张工}]
      - {kind: SERVICE_ITEM, name: 车位办理}
  - kind: DEPARTMENT
    name: 公务用车服务
    form:
      dimensions: [{key: attitude, label: 服务态度}, {key: punctuality, label: 准时程度}, {key: cleanliness, label: 车辆整洁}, {key: safety, label: 驾驶安全}]
      tags: [准时, 车辆整洁, 驾驶平稳, 熟悉路线, 迟到, 车内异味, 路线不熟, 急刹频繁]
    children:
      - kind: WINDOW
        name: 用车调度窗口
        children: [{kind: STAFF, name: 赵师傅}, {kind: STAFF, name: 钱师傅}]
      - {kind: SERVICE_ITEM, name: 公务用车申请}
  - kind: DEPARTMENT
    name: 会议服务
    form:
      dimensions: [{key: attitude, label: 服务态度}, {key: setup, label: 会场布置}, {key: equipment, label: 设备保障}, {key: efficiency, label: 响应速度}]
      tags: [布置规范, 设备好用, 响应迅速, 茶水周到, 话筒故障, 空调过冷, 布置延误, 预订繁琐]
    children:
      - kind: WINDOW
        name: 会议室预订窗口
        children: [{kind: STAFF, name: 孙主管}]
      - {kind: SERVICE_ITEM, name: 茶歇服务}
  - kind: DEPARTMENT
    name: 接待服务
    form:
      dimensions: [{key: attitude, label: 服务态度}, {key: etiquette, label: 礼仪规范}, {key: arrangement, label: 安排周到}, {key: efficiency, label: 办事效率}]
      tags: [热情周到, 礼仪规范, 安排细致, 高效, 等候时间长, 安排混乱, 信息不准, 态度冷淡]
    children:
      - kind: WINDOW
        name: 接待前台
        children: [{kind: STAFF, name: 周主任}]
      - {kind: SERVICE_ITEM, name: 来宾接待安排}
`

var demoComments = map[bool][]string{
	true:  {"服务很好，点赞！", "工作人员很耐心。", "比上次快多了。", "", "", ""},
	false: {"等了很久没人处理。", "态度不太好。", "问题还没解决。", "希望改进。", ""},
}

// LoadFeedback adds the bureau's targets and a few hundred ratings spread
// over the last six weeks, with the bad reviews' cases worked to various
// points. The generator is seeded, so each load draws the same pattern
// relative to its own start time. Nothing is loaded into a database that
// already has feedback targets.
func LoadFeedback(ctx context.Context, db *store.DB) error {
	// Demo dates are bucketed in the server's default zone.
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return err
	}
	return loadFeedbackIn(ctx, rpc.Deps{DB: db, Location: loc})
}

// loadFeedbackIn is LoadFeedback with the server's deps: ratings bucketed in
// its time zone, cases due by its calendar and --case-due-days.
func loadFeedbackIn(ctx context.Context, d rpc.Deps) error {
	db := d.DB
	var n int
	if err := db.R.GetContext(ctx, &n, `SELECT COUNT(*) FROM feedback_targets`); err != nil || n > 0 {
		return err
	}
	loc := d.Location
	if loc == nil {
		loc = time.UTC
	}
	// The service's clock is set to each rating's (and each case step's)
	// time in turn, so the demo has six weeks of history.
	wall := d.Clock()
	at := wall()
	d.Now = func() time.Time { return at }
	svc, err := feedback.New(d)
	if err != nil {
		return err
	}
	specs, err := feedback.ParseTargetsYAML(strings.NewReader(feedbackTargets))
	if err != nil {
		return fmt.Errorf("demo targets: %w", err)
	}
	if _, err := svc.ImportTargets(ctx, specs); err != nil {
		return err
	}
	targets, err := svc.ListTargets(ctx, feedback.TargetFilter{}, "", 500)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(2026, 4))
	start := wall().In(loc).AddDate(0, 0, -42)
	type planned struct {
		at time.Time
		in feedback.RatingInput
	}
	// One form per target, not per rating: the loop draws the same few
	// dozen targets hundreds of times.
	forms := make([]feedback.Form, len(targets))
	for i, t := range targets {
		if forms[i], err = svc.FormFor(ctx, db.R, t); err != nil {
			return err
		}
	}
	var plan []planned
	for i := range 420 {
		j := rng.IntN(len(targets))
		plan = append(plan, planned{
			at: start.Add(time.Duration(rng.IntN(42))*24*time.Hour + time.Duration(8*60+rng.IntN(10*60))*time.Minute),
			in: demoRating(rng, targets[j], forms[j], i),
		})
	}
	// In time order, so ids (which sort by creation) follow rating times.
	slices.SortStableFunc(plan, func(a, b planned) int { return a.at.Compare(b.at) })
	var bad []*feedback.Case
	for i, p := range plan {
		at = p.at
		if latest := wall().Add(-time.Hour); at.After(latest) {
			at = latest
		}
		out, err := svc.Rate(ctx, p.in)
		if err != nil {
			return fmt.Errorf("demo rating %d: %w", i, err)
		}
		if out.Case != nil {
			bad = append(bad, out.Case)
		}
	}
	return workDemoCases(ctx, svc, bad, wall, &at, rng)
}

// demoRating draws one rating of t. Each target has its own quality, a
// stable offset from its name, so rankings have something to separate.
func demoRating(rng *rand.Rand, t feedback.Target, form feedback.Form, i int) feedback.RatingInput {
	quality := float64(len(t.Name)%5) * 0.15
	level := min(5, max(1, int(3.4+quality+rng.NormFloat64()*1.1+0.5)))
	in := feedback.RatingInput{TargetID: t.ID, Level: level, Channel: []feedback.Channel{feedback.QR, feedback.Web, feedback.Kiosk}[i%3]}
	for _, d := range form.Dimensions {
		if rng.IntN(3) > 0 {
			in.Dimensions = append(in.Dimensions, feedback.DimLevel{Key: d.Key, Level: min(5, max(1, level+rng.IntN(3)-1))})
		}
	}
	good := level >= 4
	if half := len(form.Tags) / 2; level != 3 && half > 0 && rng.IntN(2) == 0 {
		j := rng.IntN(half)
		if !good {
			j += half
		}
		in.Tags = []string{form.Tags[j]}
	}
	cs := demoComments[good]
	in.Comment = cs[rng.IntN(len(cs))]
	return in
}

// workDemoCases moves older cases along so the case lists and the
// accountability report have something to show: most are acknowledged and
// closed, some late, a few left open past their due time.
func workDemoCases(ctx context.Context, svc *feedback.Service, cases []*feedback.Case, wall func() time.Time, at *time.Time, rng *rand.Rand) error {
	for _, c := range cases {
		officer := auth.Principal{KeyID: "demo", Name: "演示-" + c.TargetName, Role: auth.Officer, Scope: c.DepartmentID}
		steps := []feedback.Step{
			{Action: feedback.ActAcknowledge, Note: "已电话联系评价人，说明情况。"},
			{Action: feedback.ActRectify, Note: "已整改并向评价人反馈。"},
			{Action: feedback.ActClose, Verdict: []feedback.Verdict{feedback.Satisfied, feedback.Satisfied, feedback.NotSatisfied}[rng.IntN(3)]},
		}
		todo := rng.IntN(len(steps) + 1)
		t := c.OpenTime
		for _, st := range steps[:todo] {
			t = t.Add(time.Duration(4+rng.IntN(60)) * time.Hour)
			if t.After(wall()) {
				break
			}
			*at = t
			if _, err := svc.Transition(ctx, officer, c.ID, st); err != nil {
				return fmt.Errorf("demo case %s: %w", c.ID, err)
			}
		}
	}
	return nil
}
