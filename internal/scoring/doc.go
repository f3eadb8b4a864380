// Package scoring is the shared scoring engine behind the quiz and
// civility-index services. It owns every rule that turns an answer or an
// observation into points, and the aggregation of those points into the
// numbers users see:
//
//   - quiz answer scoring: single choice, true/false and multiple choice
//     under the ALL_OR_NOTHING or PARTIAL policy ([ScoreAnswer]);
//   - civility-index check items: the BINARY, GRADED, RATE and DEDUCTION
//     methods, not-applicable handling and observation validation
//     ([Item.Score]);
//   - site and dimension index scores over one or more visits, shortfalls and
//     weighted means ([ScoreSite], [Shortfalls], [WeightedMean]).
//
// Keeping these in one place means a score shown on a kiosk, in an export or
// in a ranking is computed by the same tested code. The package is pure Go:
// no I/O, no database, no protobuf, no clock. Callers translate to and from
// their wire and storage types.
package scoring
