package web

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestEveryAuditActionHasWords finds every audit action the code writes
// (the Action of each campaigns.AuditEntry literal in the module's
// non-test Go files) and checks that both catalogues say it in words
// (audit.<action>), so that a history never shows "airing.confirm". An
// action must be a string literal there, so that this test can see it.
func TestEveryAuditActionHasWords(t *testing.T) {
	t.Parallel()
	actions := map[string]string{} // action → where
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && path != ".." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok || !isAuditEntry(lit.Type) {
				return true
			}
			for _, el := range lit.Elts {
				kv, ok := el.(*ast.KeyValueExpr)
				if k, isIdent := kv.Key.(*ast.Ident); !ok || !isIdent || k.Name != "Action" {
					continue
				}
				s, ok := kv.Value.(*ast.BasicLit)
				if !ok || s.Kind != token.STRING {
					t.Errorf("%s: write the audit action as a string literal", fset.Position(kv.Pos()))
					continue
				}
				a, _ := strconv.Unquote(s.Value)
				actions[a] = fset.Position(kv.Pos()).String()
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(actions) < 15 {
		t.Fatalf("found only %d audit actions: %v", len(actions), actions)
	}
	for _, want := range []string{"airing.confirm", "airing.skip", "item.approve", "delivery.retry", "reach.correction", "channel.resume"} {
		if actions[want] == "" {
			t.Errorf("the search missed %q", want)
		}
	}
	for _, lang := range []string{"vi", "en"} {
		raw, err := os.ReadFile(filepath.Join("i18n", lang+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var cat map[string]string
		if err := json.Unmarshal(raw, &cat); err != nil {
			t.Fatal(err)
		}
		for _, a := range slices.Sorted(maps.Keys(actions)) {
			if words := cat["audit."+a]; words == "" || strings.Contains(words, a) {
				t.Errorf("%s catalogue: no words for the audit action %q (written at %s)", lang, a, actions[a])
			}
		}
	}
}

// isAuditEntry reports whether a composite literal's type is AuditEntry
// (in package campaigns) or campaigns.AuditEntry.
func isAuditEntry(e ast.Expr) bool {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name == "AuditEntry"
	case *ast.SelectorExpr:
		x, ok := t.X.(*ast.Ident)
		return ok && x.Name == "campaigns" && t.Sel.Name == "AuditEntry"
	}
	return false
}
