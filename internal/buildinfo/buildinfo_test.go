package buildinfo

import (
	"runtime"
	"strings"
	"testing"
)

func TestLinkTimeValuesWin(t *testing.T) {
	i := read("v1.2.3", "0123456789abcdef0123")
	if i.Version != "v1.2.3" || i.Commit != "0123456789abcdef0123" || i.Modified {
		t.Fatalf("read = %+v", i)
	}
	if got := i.Short(); got != "0123456789ab" {
		t.Errorf("Short = %q", got)
	}
	if s := i.String(); !strings.HasPrefix(s, "wenming v1.2.3 (commit 0123456789ab") || !strings.Contains(s, runtime.Version()) {
		t.Errorf("String = %q", s)
	}
}

func TestWithoutLinkTimeValuesAnUnreleasedBuildIsDev(t *testing.T) {
	// A test binary has no VCS stamp and no module version.
	i := read("", "")
	if i.Version != "dev" {
		t.Errorf("Version = %q, want dev", i.Version)
	}
	if i.Commit == "" {
		t.Error("Commit is empty; want a revision or \"unknown\"")
	}
}
