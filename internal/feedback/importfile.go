package feedback

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

// The target file format (YAML), a tree:
//
//	targets:
//	  - kind: DEPARTMENT            # DEPARTMENT | WINDOW | STAFF | SERVICE_ITEM
//	    name: 机关食堂
//	    parent_id: 0190…            # optional, top level only: hang under an existing target
//	    form:                       # optional; children inherit it
//	      dimensions: [{key: taste, label: 饭菜口味}]
//	      tags: [菜品丰富, 排队太久]
//	    children:
//	      - kind: WINDOW
//	        name: 一楼打饭窗口
//	        children:
//	          - {kind: STAFF, name: 王师傅}
//
// Importing is re-runnable: an entry whose parent already has a child of
// the same kind and name reuses it (its form is left as it is).
type targetFile struct {
	Targets []yaml.Node `yaml:"targets"`
}

type targetEntry struct {
	Kind     string      `yaml:"kind"`
	Name     string      `yaml:"name"`
	ParentID string      `yaml:"parent_id"`
	Form     *Form       `yaml:"form"`
	Children []yaml.Node `yaml:"children"`
}

// strictEntry mirrors targetEntry for the strict pass.
type strictEntry struct {
	Kind     string        `yaml:"kind"`
	Name     string        `yaml:"name"`
	ParentID string        `yaml:"parent_id"`
	Form     *Form         `yaml:"form"`
	Children []strictEntry `yaml:"children"`
}

// targetSpec is one validated entry of a target file.
type targetSpec struct {
	TargetInput
	Line     int
	Children []targetSpec
}

// ParseTargetsYAML reads a target file and validates every entry. It
// returns all problems at once, each with its line number, and nothing
// unless the whole file is valid.
func ParseTargetsYAML(r io.Reader) ([]targetSpec, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	// A strict pass first: Node.Decode below would ignore a misspelt key.
	strict := yaml.NewDecoder(strings.NewReader(string(raw)))
	strict.KnownFields(true)
	var typed struct {
		Targets []strictEntry `yaml:"targets"`
	}
	if err := strict.Decode(&typed); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the file is empty")
		}
		return nil, fmt.Errorf("not a target file: %w", err)
	}
	var f targetFile
	if err := yaml.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("not a target file: %w", err)
	}
	if len(f.Targets) == 0 {
		return nil, errors.New("the file lists no targets")
	}
	var problems []string
	specs := parseEntries(f.Targets, "", true, &problems)
	if len(problems) > 0 {
		return nil, fmt.Errorf("%d problem(s), nothing imported:\n  %s", len(problems), strings.Join(problems, "\n  "))
	}
	return specs, nil
}

func parseEntries(nodes []yaml.Node, parentKind Kind, top bool, problems *[]string) []targetSpec {
	var out []targetSpec
	for _, node := range nodes {
		var e targetEntry
		if err := node.Decode(&e); err != nil {
			*problems = append(*problems, fmt.Sprintf("line %d: %v", node.Line, err))
			continue
		}
		spec := targetSpec{Line: node.Line, TargetInput: TargetInput{
			Kind: Kind(strings.ToUpper(strings.TrimSpace(e.Kind))), Name: e.Name, ParentID: e.ParentID,
		}}
		if e.Form != nil {
			spec.Form = *e.Form
		}
		spec.Normalize()
		var v apierr.Violations
		if !top && spec.ParentID != "" {
			v.Add("parent_id", "only top-level entries may name a parent id; children hang under their entry")
		}
		if !top {
			spec.ParentID = "(parent entry)" // stands in for the id created on import
		}
		spec.Validate(&v, "")
		if parentKind != "" {
			checkParent(&v, "kind", spec.Kind, Target{Kind: parentKind, Active: true})
		}
		for _, msg := range v.Lines() {
			*problems = append(*problems, fmt.Sprintf("line %d (%s): %s", node.Line, spec.Name, msg))
		}
		if !top {
			spec.ParentID = ""
		}
		spec.Children = parseEntries(e.Children, spec.Kind, false, problems)
		out = append(out, spec)
	}
	return out
}

// importResult counts what an import did.
type importResult struct {
	Created, Reused int
}

// ImportTargets creates the targets of a parsed file in one transaction.
func (s *Service) ImportTargets(ctx context.Context, specs []targetSpec) (importResult, error) {
	var res importResult
	err := s.db.WithTx(ctx, func(tx *store.Tx) error {
		res = importResult{}
		return s.importLevel(ctx, tx, specs, "", &res)
	})
	return res, err
}

func (s *Service) importLevel(ctx context.Context, tx *store.Tx, specs []targetSpec, parentID string, res *importResult) error {
	for _, sp := range specs {
		in := sp.TargetInput
		if parentID != "" {
			in.ParentID = parentID
		}
		id, err := findChild(ctx, tx, in.ParentID, in.Kind, in.Name)
		switch {
		case err == nil:
			res.Reused++
		case errors.Is(err, errNotFound):
			t, err := s.CreateTarget(ctx, tx, in)
			if err != nil {
				return fmt.Errorf("line %d (%s): %w", sp.Line, sp.Name, err)
			}
			id = t.ID
			res.Created++
		default:
			return err
		}
		if err := s.importLevel(ctx, tx, sp.Children, id, res); err != nil {
			return err
		}
	}
	return nil
}

// findChild returns the id of parent's child (a top-level target when
// parent is "") of the given kind and name.
func findChild(ctx context.Context, db store.Queryer, parent string, kind Kind, name string) (string, error) {
	var id string
	var err error
	if parent == "" {
		err = db.GetContext(ctx, &id, db.Rebind(
			`SELECT id FROM feedback_targets WHERE parent_id IS NULL AND kind = ? AND name = ? ORDER BY id LIMIT 1`),
			string(kind), name)
	} else {
		err = db.GetContext(ctx, &id, db.Rebind(
			`SELECT id FROM feedback_targets WHERE parent_id = ? AND kind = ? AND name = ? ORDER BY id LIMIT 1`),
			parent, string(kind), name)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return "", errNotFound
	}
	return id, err
}
