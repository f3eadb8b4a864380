package server

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/wenming/wenming/internal/buildinfo"
)

// buildInfoGauge is wenming_build_info, always 1, labelled with the
// version and commit, so a dashboard can tell which build each replica
// runs (the convention of Prometheus' own *_build_info metrics).
func buildInfoGauge(b buildinfo.Info) prometheus.Collector {
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "wenming_build_info",
		Help: "The running build: version, commit and Go version; the value is always 1.",
	}, []string{"version", "commit", "goversion"})
	g.WithLabelValues(b.Version, b.Commit, b.GoVersion).Set(1)
	return g
}
