package webtest

import (
	_ "embed"
	"fmt"
	"strings"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, vendored by scripts/vendor.sh at a pinned version
// with checksums. It is only ever injected by tests, never served.
//
//go:embed vendor/axe.min.js
var axeSource string

// Violation is one accessibility rule a page breaks, as axe-core reports it.
type Violation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

func (v Violation) String() string {
	return fmt.Sprintf("%s (%s): %s at %s", v.ID, v.Impact, v.Help, strings.Join(v.Targets, ", "))
}

// Axe runs axe-core over the page as it is now and returns the serious
// and critical violations (WCAG 2 A and AA rules). The script is evaluated
// through DevTools, so the page's Content-Security-Policy does not block
// it and the page itself never loads it.
func (b *Browser) Axe() []Violation {
	b.t.Helper()
	const run = `(async () => {
		const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}});
		return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
			id: v.id, impact: v.impact, help: v.help,
			targets: v.nodes.map(n => n.target.join(' ')),
		}));
	})()`
	var out []Violation
	b.Run(
		chromedp.Evaluate("if (!window.axe) {"+axeSource+"\n}", nil),
		chromedp.Evaluate(run, &out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
			return p.WithAwaitPromise(true)
		}),
	)
	return out
}
