package buildinfo

import (
	"runtime"
	"runtime/debug"
	"sync"
)

// Set at link time, e.g.
//
//	go build -ldflags "-X github.com/wenming/wenming/internal/buildinfo.version=v1.0.0 \
//	  -X github.com/wenming/wenming/internal/buildinfo.commit=$(git rev-parse HEAD)"
//
// When empty, the values come from the VCS stamp `go build` embeds.
var (
	version string
	commit  string
)

// Info describes one build.
type Info struct {
	// Version is the release version, or "dev" for an unreleased build.
	Version string
	// Commit is the full VCS revision, "unknown" when the build was not
	// made from a checkout (go run of a single file, a source tarball).
	Commit string
	// Modified is true when the working tree had uncommitted changes.
	Modified bool
	// Time is the commit time (RFC 3339), "" when unknown. It is the
	// commit's, not the build's, so builds are reproducible.
	Time      string
	GoVersion string
}

// Short is the first 12 characters of the commit, with "+dirty" when the
// tree was modified.
func (i Info) Short() string {
	c := i.Commit
	if len(c) > 12 {
		c = c[:12]
	}
	if i.Modified {
		c += "+dirty"
	}
	return c
}

// String is the line `wenming version` prints.
func (i Info) String() string {
	s := "wenming " + i.Version + " (commit " + i.Short()
	if i.Time != "" {
		s += ", " + i.Time
	}
	return s + ", " + i.GoVersion + ")"
}

var (
	once sync.Once
	info Info
)

// Get returns this binary's build information.
func Get() Info {
	once.Do(func() { info = read(version, commit) })
	return info
}

func read(ldVersion, ldCommit string) Info {
	i := Info{Version: "dev", Commit: "unknown", GoVersion: runtime.Version()}
	if bi, ok := debug.ReadBuildInfo(); ok {
		// A module version is set when built with `go install module@vX`.
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			i.Version = v
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				i.Commit = s.Value
			case "vcs.time":
				i.Time = s.Value
			case "vcs.modified":
				i.Modified = s.Value == "true"
			}
		}
	}
	if ldVersion != "" {
		i.Version = ldVersion
	}
	if ldCommit != "" {
		i.Commit, i.Modified = ldCommit, false
	}
	return i
}
