package console

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
)

// Chinese names for the API's enums and codes, for display only.
var (
	roleNames = map[string]string{"admin": "管理员", "officer": "办事部门", "analyst": "分析人员",
		"inspector": "测评员", "kiosk": "自助终端"}
	stateNames = map[feedbackv1.CaseState]string{
		feedbackv1.CaseState_CASE_STATE_OPEN: "待签收", feedbackv1.CaseState_CASE_STATE_ACKNOWLEDGED: "已签收",
		feedbackv1.CaseState_CASE_STATE_RECTIFIED: "已整改", feedbackv1.CaseState_CASE_STATE_CLOSED: "已办结",
		feedbackv1.CaseState_CASE_STATE_APPEALED: "申诉中", feedbackv1.CaseState_CASE_STATE_APPEAL_ACCEPTED: "申诉成立",
	}
	verdictNames = map[feedbackv1.Verdict]string{
		feedbackv1.Verdict_VERDICT_SATISFIED: "满意", feedbackv1.Verdict_VERDICT_NOT_SATISFIED: "不满意",
		feedbackv1.Verdict_VERDICT_UNREACHABLE: "联系不上",
	}
	actionNames = map[string]string{"OPEN": "受理", "ACKNOWLEDGE": "签收", "RECTIFY": "整改", "CLOSE": "办结",
		"REOPEN": "重新办理", "HAND_OVER": "申请移交", "ACCEPT_HANDOVER": "接收移交", "DECLINE_HANDOVER": "拒绝移交",
		"APPEAL": "申诉", "ACCEPT_APPEAL": "申诉成立", "REJECT_APPEAL": "申诉驳回"}
	channelNames = map[feedbackv1.Channel]string{}
	levelNames   = []string{"", "非常不满意", "不满意", "基本满意", "满意", "非常满意"}
)

func init() {
	for v, n := range feedbackv1.Channel_name {
		switch {
		case strings.HasSuffix(n, "KIOSK"):
			channelNames[feedbackv1.Channel(v)] = "自助终端"
		case strings.HasSuffix(n, "WEB"):
			channelNames[feedbackv1.Channel(v)] = "网页"
		case strings.HasSuffix(n, "QR"):
			channelNames[feedbackv1.Channel(v)] = "扫码"
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func labelFuncs() map[string]any {
	return map[string]any{
		"hasPrefix":    strings.HasPrefix,
		"roleName":     func(r string) string { return orDash(roleNames[r]) },
		"stateName":    func(s feedbackv1.CaseState) string { return orDash(stateNames[s]) },
		"verdictName":  func(v feedbackv1.Verdict) string { return orDash(verdictNames[v]) },
		"actionName":   func(a string) string { return orDash(actionNames[a]) },
		"channelName":  func(c feedbackv1.Channel) string { return orDash(channelNames[c]) },
		"casePageSize": func() int { return casePageSize },
		"levelName": func(l int32) string {
			if l < 1 || int(l) >= len(levelNames) {
				return "—"
			}
			return levelNames[l]
		},
		"daysLeft":     daysLeft,
		"categoryName": func(c civindexv1.SiteCategory) string { return orDash(categoryNames[c]) },
		"kindName":     func(k civindexv1.RoundKind) string { return orDash(kindNames[k]) },
		"dept": func(names map[string]string, id string) string {
			if n, ok := names[id]; ok {
				return n
			}
			return id
		},
	}
}

// daysLeft says how much time a case has, in working days.
func daysLeft(c *feedbackv1.Case) string {
	switch st := c.GetState(); {
	case st != feedbackv1.CaseState_CASE_STATE_OPEN && st != feedbackv1.CaseState_CASE_STATE_ACKNOWLEDGED &&
		st != feedbackv1.CaseState_CASE_STATE_RECTIFIED:
		return "—"
	case c.GetOverdue():
		if n := -c.GetWorkingDaysLeft(); n > 0 {
			return fmt.Sprintf("超期 %d 个工作日", n)
		}
		return "已超期"
	case c.GetWorkingDaysLeft() == 0:
		return "今日到期"
	default:
		return fmt.Sprintf("剩 %d 个工作日", c.GetWorkingDaysLeft())
	}
}

// fixed formats v with digits decimals, as the API documentation shows
// numbers (half away from zero; no thousands separator).
func fixed(v float64, digits int) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', digits, 64)
}

var (
	kindNames = map[civindexv1.RoundKind]string{civindexv1.RoundKind_ROUND_KIND_SELF_CHECK: "自查",
		civindexv1.RoundKind_ROUND_KIND_SPOT_CHECK: "抽查", civindexv1.RoundKind_ROUND_KIND_OFFICIAL: "正式测评"}
	roundStateNames = map[civindexv1.RoundState]string{civindexv1.RoundState_ROUND_STATE_PLANNED: "计划中",
		civindexv1.RoundState_ROUND_STATE_OPEN: "进行中", civindexv1.RoundState_ROUND_STATE_CLOSED: "已结束"}
	categoryNames = map[civindexv1.SiteCategory]string{
		civindexv1.SiteCategory_SITE_CATEGORY_OFFICE_COMPOUND: "机关单位", civindexv1.SiteCategory_SITE_CATEGORY_RESIDENTIAL_COMMUNITY: "居民小区",
		civindexv1.SiteCategory_SITE_CATEGORY_STREET: "街道", civindexv1.SiteCategory_SITE_CATEGORY_STATION: "车站",
		civindexv1.SiteCategory_SITE_CATEGORY_SERVICE_HALL: "政务大厅", civindexv1.SiteCategory_SITE_CATEGORY_MARKET: "市场",
		civindexv1.SiteCategory_SITE_CATEGORY_PARK: "公园广场", civindexv1.SiteCategory_SITE_CATEGORY_SCHOOL: "学校",
		civindexv1.SiteCategory_SITE_CATEGORY_HOSPITAL: "医院", civindexv1.SiteCategory_SITE_CATEGORY_OTHER: "其他",
	}
)
