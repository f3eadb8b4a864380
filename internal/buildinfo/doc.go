// Package buildinfo says which build of wenming is running: the version
// and commit, taken from the Go toolchain's VCS stamp or set at link time
// (release builds pass -ldflags "-X …buildinfo.version=v1.2.3"), so
// `wenming version`, the start-up log line, /metrics and /openapi.json all
// report the same thing.
package buildinfo
