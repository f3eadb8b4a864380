// Package civindex is the public-civilization index (公共文明指数测评):
// versioned indicator frameworks, the sites inspectors check, rounds that
// tie a framework version to a set of sites, inspections (append-only
// revisions of one visit's item results), and the index the testing team
// queries — site and dimension scores, the round index with its confidence
// interval, rankings, trends and shortfalls.
//
// Every number is computed by internal/scoring (item scoring, site scores,
// shortfalls, weighted means) and internal/scoring/stats (confidence
// intervals, Welch's t-test); this package only gathers the inputs.
// handler_*.go are the thin gRPC layer; framework_model.go, site.go,
// round.go, inspection_model.go and index.go hold the rules;
// *_service.go the operations (a method taking a tx runs in the caller's
// transaction, one taking only a ctx opens its own); store_*.go the SQL;
// store_round_totals.go owns civ_round_stats.
//
// Site scores are materialised in civ_site_scores whenever an inspection is
// submitted or amended, so round reports read one row per site; the same
// transaction keeps the round's aggregate in civ_round_stats (RoundStats),
// from which the round index and trend are computed without reading the
// sites.
package civindex
