package doctest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// A block is one fenced ```sh or ```bash example. Words after the
// language mark it:
//
//	```sh no-run   not run: a synopsis, output, or a step with effects
//	               outside the test (starting the server, Docker, deploys)
//	```sh fails    run, and must exit non-zero (it shows an error answer)
//
// Everything else runs, in file order, in one bash per block that starts
// from the variables the file's earlier blocks set, with `set -eo
// pipefail` and curl failing on an HTTP error status
// (--fail-with-body), so a wrong example fails the test.
type block struct {
	file  string
	line  int
	text  string
	skip  bool
	fails bool
}

func (b block) String() string { return fmt.Sprintf("%s:%d", b.file, b.line) }

func blocks(t *testing.T, path, name string) []block {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []block
	var cur *block
	var body strings.Builder
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		if cur == nil {
			if !strings.HasPrefix(trimmed, "```") {
				continue
			}
			words := strings.Fields(strings.TrimPrefix(trimmed, "```"))
			if len(words) == 0 || (words[0] != "sh" && words[0] != "bash") {
				cur = &block{line: -1} // another language: read to its end
				continue
			}
			cur = &block{file: name, line: n}
			for _, w := range words[1:] {
				switch w {
				case "no-run":
					cur.skip = true
				case "fails":
					cur.fails = true
				default:
					t.Errorf("%s:%d: unknown block marker %q (want no-run or fails)", name, n, w)
				}
			}
			body.Reset()
			continue
		}
		if trimmed == "```" {
			if cur.line > 0 {
				cur.text = body.String()
				out = append(out, *cur)
			}
			cur = nil
			continue
		}
		body.WriteString(line + "\n")
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func need(t *testing.T, cmds ...string) {
	t.Helper()
	for _, c := range cmds {
		if _, err := exec.LookPath(c); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is needed to run the docs' examples: %v", c, err)
			}
			t.Skipf("%s is not installed; the docs' examples need it", c)
		}
	}
}

// The shell variables a block leaves behind for the next; the shell's own
// are left out.
const saveVars = `declare -p $(compgen -v | grep -Ev '^(BASH.*|SHELLOPTS|PPID|UID|EUID|GROUPS|FUNCNAME|PIPESTATUS|RANDOM|SRANDOM|SECONDS|LINENO|HISTCMD|EPOCHREALTIME|EPOCHSECONDS|_|DIRSTACK|COMP.*|OPTIND|OPTARG|OPTERR|PWD|OLDPWD|SHLVL|HOSTNAME|HOSTTYPE|MACHTYPE|OSTYPE|IFS|PS[0-9]|PATH|HOME|TERM|LANG|LC_.*|BASHPID)$') > "$DOCTEST_STATE"`

func TestDocsExamplesRun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server and runs every shell example")
	}
	need(t, "bash", "curl", "jq")
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin")
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "wenming"), "./cmd/wenming")
	build.Dir = repo
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	work := filepath.Join(tmp, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	grpcAddr, httpAddr := freePort(t), freePort(t)
	demo, err := os.Create(filepath.Join(work, "demo.txt"))
	if err != nil {
		t.Fatal(err)
	}
	serveLog, err := os.Create(filepath.Join(tmp, "serve.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer serveLog.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	serve := exec.CommandContext(ctx, filepath.Join(bin, "wenming"), "serve", "--demo",
		"--grpc-addr", grpcAddr, "--http-addr", httpAddr, "--public-url", "http://"+httpAddr, "--log-level", "warn")
	serve.Dir, serve.Stdout, serve.Stderr = work, demo, serveLog
	serve.Env = cleanEnv()
	serve.Cancel = func() error { return serve.Process.Signal(os.Interrupt) }
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		_ = serve.Wait()
		demo.Close()
	}()
	waitReady(t, "http://"+httpAddr+"/readyz", filepath.Join(work, "demo.txt"), serveLog.Name())

	files := []string{"README.md"}
	docs, _ := filepath.Glob(filepath.Join(repo, "docs", "*.md"))
	sort.Strings(docs)
	for _, d := range docs {
		files = append(files, filepath.Join("docs", filepath.Base(d)))
	}
	// The docs address the server at its default ports; this one listens
	// on free ones.
	ports := strings.NewReplacer("localhost:8080", httpAddr, "localhost:9090", grpcAddr)
	var skipped []string
	ran := 0
	// WENMING_DOCTEST_ONLY=docs/quiz.md (a comma-separated list) runs only
	// those files, for working on one.
	if only := os.Getenv("WENMING_DOCTEST_ONLY"); only != "" {
		files = strings.Split(only, ",")
	}
	for _, name := range files {
		state := filepath.Join(tmp, strings.ReplaceAll(name, "/", "_")+".vars")
		if err := os.WriteFile(state, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		for _, b := range blocks(t, filepath.Join(repo, name), name) {
			if b.skip {
				skipped = append(skipped, b.String())
				continue
			}
			ran++
			out, err := runBlock(ctx, work, bin, repo, state, ports.Replace(b.text), b.fails)
			if err != nil {
				t.Errorf("%s: %v\n--- block:\n%s--- output:\n%s", b, err, b.text, tail(out, 3000))
				break // later blocks of this file build on this one
			}
		}
	}
	t.Logf("ran %d blocks; skipped %d marked no-run: %s", ran, len(skipped), strings.Join(skipped, ", "))
	if t.Failed() {
		b, _ := os.ReadFile(serveLog.Name())
		t.Logf("server log:\n%s", tail(string(b), 3000))
	}
}

func runBlock(ctx context.Context, work, bin, repo, state, text string, fails bool) (string, error) {
	script := `set -eo pipefail
curl() { command curl --fail-with-body "$@"; }
source "$DOCTEST_STATE"
` + text + "\n" + saveVars + "\n"
	if fails {
		script = `curl() { command curl --fail-with-body "$@"; }
source "$DOCTEST_STATE"
set -o pipefail
( set -e
` + text + `
)
status=$?
if [ "$status" -eq 0 ]; then echo "doctest: this block is marked 'fails' but exited 0" >&2; exit 1; fi
` + saveVars + "\n"
	}
	bctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(bctx, "bash", "-c", script)
	cmd.Dir = work
	cmd.Env = append(cleanEnv(),
		"DOCTEST_STATE="+state,
		"PATH="+bin+string(os.PathListSeparator)+filepath.Join(repo, ".bin")+string(os.PathListSeparator)+os.Getenv("PATH"))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// cleanEnv is the test's environment without settings that would point
// the examples at another database or server.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "WENMING_") || strings.HasPrefix(kv, "OTEL_") {
			continue
		}
		env = append(env, kv)
	}
	return env
}

func waitReady(t *testing.T, url, demoFile, logFile string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(demoFile)
		if bytes.Contains(b, []byte("export DEPT=")) {
			if resp, err := http.Get(url); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					return
				}
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	b, _ := os.ReadFile(demoFile)
	l, _ := os.ReadFile(logFile)
	t.Fatalf("serve --demo did not come up:\n%s\n%s", b, l)
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}
