// Package stats computes the statistics numbers that wenming users see:
// score summaries and histograms, confidence intervals for rates and means,
// Welch's test for "did the index change significantly", classical item
// analysis for quiz papers (facility, discrimination, KR-20), and the
// small-sample-safe rating averages used for rankings.
//
// It is pure Go with no I/O, so every number can be unit-tested against an
// example worked by hand. Domain packages (quiz, feedback, civindex) gather
// raw values from their stores and call in here; they never recompute these
// numbers themselves, so the same figure is the same everywhere.
//
// Conventions, chosen once for the whole package:
//   - A standard deviation describing or estimating spread of a sample
//     (Summary.StdDev, MeanCI95, WelchTTest) uses the sample variance with
//     n−1 in the denominator. KR-20 alone uses the population variance of
//     totals (divide by n), as in Kuder and Richardson's formula.
//   - All 95% intervals are two-sided. Proportions use the Wilson score
//     interval, which stays inside [0, 1] and behaves at 0 and n successes;
//     means use Student's t with n−1 degrees of freedom.
//   - Degenerate input (empty, one value, zero variance) never panics and
//     never returns NaN: results are defined values plus an ok flag or an
//     error where the caller must know the number is not meaningful.
//   - Inputs are assumed finite; callers drop missing values before calling.
//   - Means, intervals and Welch's test also take Moments (n, Σx, Σx²),
//     which a store can keep current as values come and go, so a figure
//     over many values need not read them all.
//
// Student's t quantiles and tail probabilities come from gonum's distuv
// rather than a hand-written approximation.
package stats
