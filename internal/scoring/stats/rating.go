package stats

// BayesianAverage returns the mean rating shrunk toward a prior:
//
//	(priorWeight·priorMean + sum) / (priorWeight + n)
//
// where sum is the total of n ratings. It behaves as if priorWeight extra
// ratings of priorMean had been given, so a window with two 5-star ratings
// does not outrank one with two hundred ratings averaging 4.8. Typical use:
// priorMean = the mean over all targets, priorWeight = a count such as 10.
//
// A negative priorWeight is treated as 0. When priorWeight + n is 0 there is
// nothing to average and priorMean is returned.
func BayesianAverage(sum float64, n int, priorMean, priorWeight float64) float64 {
	priorWeight = max(priorWeight, 0)
	n = max(n, 0)
	den := priorWeight + float64(n)
	if den == 0 {
		return priorMean
	}
	return (priorWeight*priorMean + sum) / den
}

// Rate returns k/n, such as a satisfaction rate (levels 4–5 over all
// ratings) or a bad-review rate; it is 0 when n <= 0 so that an empty
// period shows 0% rather than NaN.
func Rate(k, n int) float64 {
	if n <= 0 {
		return 0
	}
	return float64(k) / float64(n)
}
