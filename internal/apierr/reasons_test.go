package apierr

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestEveryReasonIsDocumented keeps docs/errors.md the full list of
// reasons a client may see.
func TestEveryReasonIsDocumented(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/errors.md")
	if err != nil {
		t.Fatal(err)
	}
	f, err := parser.ParseFile(token.NewFileSet(), "reasons.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	ast.Inspect(f, func(node ast.Node) bool {
		lit, ok := node.(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		reason, _ := strconv.Unquote(lit.Value)
		n++
		if !strings.Contains(string(doc), "`"+reason+"`") {
			t.Errorf("reason %s is not in docs/errors.md", reason)
		}
		return true
	})
	if n < 20 {
		t.Fatalf("found %d reasons in reasons.go; the parse is wrong", n)
	}
}
