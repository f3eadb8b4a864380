package store

import (
	"context"
	"strings"
	"testing"
)

// Targets and cases that existed before public codes get one each from
// migration 00204: distinct, and in the alphabet new codes use.
func TestMigrationBackfillsPublicCodes(t *testing.T) {
	t.Parallel()
	for _, db := range testDBs(t) {
		t.Run(string(db.Dialect), func(t *testing.T) {
			ctx := context.Background()
			p, err := db.provider()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.UpTo(ctx, 203); err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{
				`INSERT INTO feedback_targets (id, kind, name, parent_id, department_id, path, active, form, create_time, update_time)
				 VALUES ('d', 'DEPARTMENT', 'd', NULL, 'd', '/d/', TRUE, '', 0, 0),
				        ('w', 'WINDOW', 'w', 'd', 'd', '/d/w/', TRUE, '', 0, 0)`,
				`INSERT INTO feedback_ratings (id, target_id, department_id, level, dimensions, tags, comment, channel, contact, day, excluded, create_time)
				 VALUES ('r', 'w', 'd', 1, '[]', '[]', '', 'WEB', NULL, 20260301, FALSE, 0)`,
				`INSERT INTO feedback_cases (id, rating_id, target_id, department_id, state, open_time, due_time, close_time,
				     verdict, handover_to, appeal_evidence, appeal_from, update_time)
				 VALUES ('c', 'r', 'w', 'd', 'OPEN', 0, 1, NULL, '', '', '', '', 0)`,
			} {
				if _, err := db.W.ExecContext(ctx, q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var codes []string
			if err := db.R.SelectContext(ctx, &codes, `SELECT public_code FROM feedback_targets ORDER BY id`); err != nil {
				t.Fatal(err)
			}
			var caseCode string
			if err := db.R.GetContext(ctx, &caseCode, `SELECT public_code FROM feedback_cases`); err != nil {
				t.Fatal(err)
			}
			const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
			if len(codes) != 2 || codes[0] == codes[1] || len(codes[0]) != 8 || len(codes[1]) != 8 ||
				strings.Trim(codes[0]+codes[1], alphabet) != "" {
				t.Errorf("target codes %q", codes)
			}
			if len(caseCode) != 10 || strings.Trim(caseCode, alphabet) != "" {
				t.Errorf("case code %q", caseCode)
			}
		})
	}
}
