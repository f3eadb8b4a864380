// Package supervision is supervision (督导抽查) over the civility index:
// spot-check draws that anyone can re-derive from a published frame,
// commitment and seed; the hash chain over a round's inspections (kept by
// civindex itself, verified here); rectification tasks opened from the
// shortfalls of SPOT_CHECK and OFFICIAL rounds and closed only by a later
// passing inspection; and the unit register that ties a site's owning unit
// to a feedback department and quiz communities. docs/supervision.md gives
// every rule.
//
// It builds on civindex and civindex never imports it: New builds the
// civility-index service with hooks (civindex.WithHooks) that run inside
// the transactions recording inspections and closing rounds, and serves
// both. draw.go and verify.go are pure, shared by the server and `wenming
// verify draw`; store_*.go hold the SQL.
package supervision
