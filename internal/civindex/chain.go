package civindex

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/wenming/wenming/internal/store"
)

// The hash chain over a round's record (docs/supervision.md, "The hash
// chain"). Every revision of every inspection in a round — revision 1 is
// the visit as submitted, each later one an amendment — is a link, in the
// order the revisions were recorded. A link's hash is SHA-256 over the
// previous link's hash and the revision's canonical content, so editing a
// stored inspection or revision behind the server's back breaks the chain
// at that link, and rewriting the rest of the chain to match changes the
// head, which is published with the round's report and export.

// GenesisHash is the previous hash of a round's first link.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ChainContent is what a link's hash covers besides the previous hash: the
// stored fields of the inspection and of the revision as the database holds
// them (times as microseconds since the Unix epoch, results and evidence as
// their stored JSON text). Scores are left out: they are derived from the
// results.
type ChainContent struct {
	RoundID, InspectionID, SiteID string
	Inspector, InspectorKeyID     string
	VisitTime                     int64
	Revision                      int
	Results, Notes, Evidence      string
	Reason, Author, AuthorKeyID   string
	CreateTime                    int64
}

// ChainHash is the hash of link seq of a round: the lowercase hex SHA-256
// of the line "wenming-chain-v1\n" followed by one field per line, each
// written as name ":" byte-length ":" value "\n", in this order: prev, seq,
// round, inspection, site, inspector, inspector_key_id, visit_time,
// revision, results, notes, evidence, reason, author, author_key_id,
// create_time. Integers are in decimal. The length prefix makes the
// encoding unambiguous whatever the text holds.
func ChainHash(prev string, seq int64, c ChainContent) string {
	var b strings.Builder
	b.WriteString("wenming-chain-v1\n")
	field := func(name, value string) {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(len(value)))
		b.WriteByte(':')
		b.WriteString(value)
		b.WriteByte('\n')
	}
	i64 := func(x int64) string { return strconv.FormatInt(x, 10) }
	field("prev", prev)
	field("seq", i64(seq))
	field("round", c.RoundID)
	field("inspection", c.InspectionID)
	field("site", c.SiteID)
	field("inspector", c.Inspector)
	field("inspector_key_id", c.InspectorKeyID)
	field("visit_time", i64(c.VisitTime))
	field("revision", strconv.Itoa(c.Revision))
	field("results", c.Results)
	field("notes", c.Notes)
	field("evidence", c.Evidence)
	field("reason", c.Reason)
	field("author", c.Author)
	field("author_key_id", c.AuthorKeyID)
	field("create_time", i64(c.CreateTime))
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

type chainContentRow struct {
	RoundID        string `db:"round_id"`
	InspectionID   string `db:"inspection_id"`
	SiteID         string `db:"site_id"`
	Inspector      string `db:"inspector"`
	InspectorKeyID string `db:"inspector_key_id"`
	VisitTime      int64  `db:"visit_time"`
	Revision       int    `db:"revision"`
	Results        string `db:"results"`
	Notes          string `db:"notes"`
	Evidence       string `db:"evidence"`
	Reason         string `db:"reason"`
	Author         string `db:"author"`
	AuthorKeyID    string `db:"author_key_id"`
	CreateTime     int64  `db:"create_time"`
}

func (r chainContentRow) content() ChainContent { return ChainContent(r) }

const selectChainContent = `SELECT i.round_id, r.inspection_id, i.site_id, i.inspector, i.inspector_key_id, i.visit_time,
       r.revision, r.results, r.notes, r.evidence, r.reason, r.author, r.author_key_id, r.create_time
  FROM civ_inspection_revisions r JOIN civ_inspections i ON i.id = r.inspection_id`

// appendChain links a revision that tx has just written to its round's
// chain. On PostgreSQL it locks the round's head row, so the links of
// concurrent inspections of one round are numbered one after another; it
// is the last lock an inspection takes (after the round and the site), so
// it adds no lock cycle. A round whose revisions predate the chain has
// them linked first, oldest first.
func appendChain(ctx context.Context, tx *store.Tx, roundID, inspectionID string, revision int, at int64) error {
	seq, head, err := lockChainHead(ctx, tx, roundID)
	if err != nil {
		return err
	}
	if seq == 0 {
		// No head: link whatever the round already holds, including the
		// revision just written, in recording order.
		rows, err := chainContents(ctx, tx, selectChainContent+` WHERE i.round_id = ?
			 ORDER BY r.create_time, r.inspection_id, r.revision`, roundID)
		if err != nil {
			return err
		}
		return linkAll(ctx, tx, roundID, rows, seq, head, at)
	}
	rows, err := chainContents(ctx, tx, selectChainContent+` WHERE r.inspection_id = ? AND r.revision = ?`, inspectionID, revision)
	if err != nil {
		return err
	}
	return linkAll(ctx, tx, roundID, rows, seq, head, at)
}

func chainContents(ctx context.Context, q store.Queryer, query string, args ...any) ([]ChainContent, error) {
	out, err := store.SelectAll(ctx, q, func(r chainContentRow) (ChainContent, error) { return r.content(), nil }, query, args...)
	if err != nil {
		return nil, fmt.Errorf("civindex: chain content: %w", err)
	}
	return out, nil
}

func linkAll(ctx context.Context, tx *store.Tx, roundID string, rows []ChainContent, seq int64, head string, at int64) error {
	if len(rows) == 0 {
		return nil
	}
	links := make([][]any, len(rows))
	for i, c := range rows {
		seq++
		h := ChainHash(head, seq, c)
		links[i] = []any{roundID, seq, c.InspectionID, c.Revision, head, h, at}
		head = h
	}
	if err := store.InsertRows(ctx, tx, "civ_chain",
		[]string{"round_id", "seq", "inspection_id", "revision", "prev_hash", "hash", "create_time"}, links); err != nil {
		return fmt.Errorf("civindex: append chain: %w", err)
	}
	_, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO civ_chain_heads (round_id, seq, hash) VALUES (?, ?, ?)
		 ON CONFLICT (round_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`), roundID, seq, head)
	if err != nil {
		return fmt.Errorf("civindex: chain head: %w", err)
	}
	return nil
}

// lockChainHead returns a round's last seq and hash (0 and GenesisHash for
// an empty chain), locking the head row on PostgreSQL. The row is created
// first if missing so there is always a row to lock.
func lockChainHead(ctx context.Context, tx *store.Tx, roundID string) (int64, string, error) {
	if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO civ_chain_heads (round_id, seq, hash) VALUES (?, 0, ?)
		 ON CONFLICT (round_id) DO NOTHING`), roundID, GenesisHash); err != nil {
		return 0, "", fmt.Errorf("civindex: chain head: %w", err)
	}
	var h struct {
		Seq  int64  `db:"seq"`
		Hash string `db:"hash"`
	}
	if err := tx.GetContext(ctx, &h, tx.Rebind(`SELECT seq, hash FROM civ_chain_heads WHERE round_id = ?`+forUpdate(tx)), roundID); err != nil {
		return 0, "", fmt.Errorf("civindex: lock chain head: %w", err)
	}
	return h.Seq, h.Hash, nil
}

// ChainHead is a round's published chain head: the number of links and the
// last hash (GenesisHash when nothing was recorded).
type ChainHead struct {
	Length int64
	Hash   string
}

// GetChainHead reads a round's chain head.
func GetChainHead(ctx context.Context, q store.Queryer, roundID string) (ChainHead, error) {
	var h struct {
		Seq  int64  `db:"seq"`
		Hash string `db:"hash"`
	}
	err := q.GetContext(ctx, &h, q.Rebind(`SELECT seq, hash FROM civ_chain_heads WHERE round_id = ?`), roundID)
	if errors.Is(err, sql.ErrNoRows) {
		return ChainHead{Hash: GenesisHash}, nil
	}
	if err != nil {
		return ChainHead{}, fmt.Errorf("civindex: chain head: %w", err)
	}
	return ChainHead{Length: h.Seq, Hash: h.Hash}, nil
}

// ChainCheck is the outcome of recomputing a round's chain.
type ChainCheck struct {
	// Links is how many links were checked; Head the recomputed head.
	Links int64
	Head  string
	// Stored is the head as stored in civ_chain_heads.
	Stored ChainHead
	// OK is true when every link and the head match.
	OK bool
	// The first link that does not match (Seq 0 when the problem is not a
	// link: the stored head, or a revision missing from the chain), and why.
	Seq          int64
	InspectionID string
	Revision     int
	Problem      string
}

type chainLinkRow struct {
	Seq          int64  `db:"seq"`
	InspectionID string `db:"inspection_id"`
	Revision     int    `db:"revision"`
	PrevHash     string `db:"prev_hash"`
	Hash         string `db:"hash"`
}

// VerifyChain recomputes a round's chain from the stored inspections and
// revisions and compares every link, the head, and the set of revisions
// with what is stored. It stops at the first mismatch.
func VerifyChain(ctx context.Context, q store.Queryer, roundID string) (ChainCheck, error) {
	var links []chainLinkRow
	if err := q.SelectContext(ctx, &links, q.Rebind(
		`SELECT seq, inspection_id, revision, prev_hash, hash FROM civ_chain WHERE round_id = ? ORDER BY seq`), roundID); err != nil {
		return ChainCheck{}, fmt.Errorf("civindex: read chain: %w", err)
	}
	contents, err := chainContents(ctx, q, selectChainContent+` WHERE i.round_id = ?`, roundID)
	if err != nil {
		return ChainCheck{}, err
	}
	// Revisions whose inspection row was moved to another round still
	// count: they are looked up by their chain key too.
	byKey := map[string]ChainContent{}
	for _, c := range contents {
		byKey[c.InspectionID+"#"+strconv.Itoa(c.Revision)] = c
	}
	stored, err := GetChainHead(ctx, q, roundID)
	if err != nil {
		return ChainCheck{}, err
	}
	out := ChainCheck{Stored: stored, Head: GenesisHash}
	fail := func(l chainLinkRow, why string, args ...any) (ChainCheck, error) {
		out.Seq, out.InspectionID, out.Revision, out.Problem = l.Seq, l.InspectionID, l.Revision, fmt.Sprintf(why, args...)
		return out, nil
	}
	for i, l := range links {
		if l.Seq != int64(i+1) {
			return fail(l, "link %d is missing: the chain jumps from %d to %d", i+1, i, l.Seq)
		}
		if l.PrevHash != out.Head {
			return fail(l, "stored previous hash %s is not the recomputed hash of link %d (%s)", l.PrevHash, i, out.Head)
		}
		key := l.InspectionID + "#" + strconv.Itoa(l.Revision)
		c, ok := byKey[key]
		if !ok {
			more, err := chainContents(ctx, q, selectChainContent+` WHERE r.inspection_id = ? AND r.revision = ?`, l.InspectionID, l.Revision)
			if err != nil {
				return ChainCheck{}, err
			}
			if len(more) == 0 {
				return fail(l, "inspection %s revision %d is no longer stored", l.InspectionID, l.Revision)
			}
			c = more[0]
		}
		delete(byKey, key)
		h := ChainHash(out.Head, l.Seq, c)
		if h != l.Hash {
			return fail(l, "the stored inspection %s revision %d does not hash to the stored link (recomputed %s, stored %s)",
				l.InspectionID, l.Revision, h, l.Hash)
		}
		out.Head = h
		out.Links++
	}
	if len(byKey) > 0 {
		keys := make([]string, 0, len(byKey))
		for k := range byKey {
			keys = append(keys, k)
		}
		first := keys[0]
		for _, k := range keys {
			if byKey[k].CreateTime < byKey[first].CreateTime || (byKey[k].CreateTime == byKey[first].CreateTime && k < first) {
				first = k
			}
		}
		c := byKey[first]
		out.InspectionID, out.Revision = c.InspectionID, c.Revision
		out.Problem = fmt.Sprintf("%d stored revision(s) of the round are not in the chain, the first inspection %s revision %d",
			len(byKey), c.InspectionID, c.Revision)
		return out, nil
	}
	if stored.Length != out.Links || stored.Hash != out.Head {
		out.Problem = fmt.Sprintf("the stored head (%d links, %s) is not the recomputed head (%d links, %s)",
			stored.Length, stored.Hash, out.Links, out.Head)
		return out, nil
	}
	out.OK = true
	return out, nil
}
