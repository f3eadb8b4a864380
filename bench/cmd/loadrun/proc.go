package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// binaries are the executables a run uses.
type binaries struct {
	wenming, baregrpc string
	ghz, vegeta       string
}

// buildAll builds wenming and the bare server into the work directory and
// installs the pinned load generators into .bin/ through bench/tools.sh.
func buildAll(ctx context.Context, cfg *config) (binaries, error) {
	dir := filepath.Join(cfg.work, "bin")
	b := binaries{
		wenming:  filepath.Join(dir, "wenming"),
		baregrpc: filepath.Join(dir, "baregrpc"),
		ghz:      filepath.Join(cfg.root, ".bin", "ghz"),
		vegeta:   filepath.Join(cfg.root, ".bin", "vegeta"),
	}
	logf("building wenming and baregrpc")
	for out, pkg := range map[string]string{b.wenming: "./cmd/wenming", b.baregrpc: "./bench/cmd/baregrpc"} {
		if err := runCmd(ctx, cfg.root, nil, "go", "build", "-o", out, pkg); err != nil {
			return b, err
		}
	}
	if !cfg.scaling {
		logf("installing pinned ghz and vegeta (bench/tools.sh)")
		if err := runCmd(ctx, cfg.root, nil, "bash", "bench/tools.sh"); err != nil {
			return b, err
		}
	}
	return b, nil
}

// runCmd runs a command to completion; its output is shown only on failure.
func runCmd(ctx context.Context, dir string, env []string, name string, args ...string) error {
	_, err := output(ctx, dir, env, name, args...)
	return err
}

// output runs a command and returns its stdout; a failure carries stderr.
func output(ctx context.Context, dir string, env []string, name string, args ...string) ([]byte, error) {
	out, _, err := outputCPU(ctx, dir, env, name, args...)
	return out, err
}

// outputCPU is output that also returns the CPU time (user + system) the
// command used, to tell how much of the machine a load generator took.
func outputCPU(ctx context.Context, dir string, env []string, name string, args ...string) ([]byte, time.Duration, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var cpu time.Duration
	if cmd.ProcessState != nil {
		cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if err != nil {
		return stdout.Bytes(), cpu, fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, tail(stderr.String(), 2000))
	}
	return stdout.Bytes(), cpu, nil
}

// procCPU is the CPU time (user + system) process pid has used so far,
// from /proc (Linux); 0 when it cannot be read.
func procCPU(pid int) time.Duration {
	_, f, ok := procStat(fmt.Sprintf("/proc/%d/stat", pid))
	if !ok || len(f) < 13 {
		return 0
	}
	return ticks(f, 11, 12)
}

// postgresCPU is the CPU time of every process named postgres, including
// what its exited children (backends of closed connections) used, so a
// difference over a run is the database server's share of the machine.
func postgresCPU() time.Duration {
	paths, _ := filepath.Glob("/proc/[0-9]*/stat")
	var total time.Duration
	for _, p := range paths {
		comm, f, ok := procStat(p)
		if !ok || comm != "postgres" || len(f) < 15 {
			continue
		}
		total += ticks(f, 11, 12, 13, 14)
	}
	return total
}

// procStat reads a /proc/PID/stat file: the command name in its
// parentheses and the fields after it (utime, stime, cutime and cstime
// are fields 14 to 17 of the line, so 11 to 14 of these).
func procStat(path string) (comm string, fields []string, ok bool) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return "", nil, false
	}
	s := string(raw)
	open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if open < 0 || end < open {
		return "", nil, false
	}
	return s[open+1 : end], strings.Fields(s[end+1:]), true
}

// ticks sums the fields at idx, counts of clock ticks (USER_HZ, 100 on
// Linux), as a duration.
func ticks(fields []string, idx ...int) time.Duration {
	var n int64
	for _, i := range idx {
		v, _ := strconv.ParseInt(fields[i], 10, 64)
		n += v
	}
	return time.Duration(n) * (time.Second / 100)
}

// selfCPU is the CPU time this process has used so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// process is a server the harness started and must stop.
type process struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan error
}

// start launches a long-running command with stderr (and stdout unless
// firstLine is set) going to a log file in the work directory. With
// firstLine it returns the first line the program prints on stdout.
func start(cfg *config, name string, firstLine bool, bin string, args ...string) (*process, string, error) {
	logPath := filepath.Join(cfg.work, name+".log")
	lf, err := os.Create(logPath)
	if err != nil {
		return nil, "", err
	}
	cmd := exec.Command(bin, args...)
	cmd.Stderr = lf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var line string
	var sc *bufio.Scanner
	if firstLine {
		pipe, err := cmd.StdoutPipe()
		if err != nil {
			return nil, "", err
		}
		sc = bufio.NewScanner(pipe)
	} else {
		cmd.Stdout = lf
	}
	if err := cmd.Start(); err != nil {
		lf.Close()
		return nil, "", err
	}
	p := &process{name: name, cmd: cmd, log: logPath, done: make(chan error, 1)}
	if sc != nil {
		if !sc.Scan() {
			_ = cmd.Process.Kill()
			return nil, "", fmt.Errorf("%s printed nothing (see %s)", name, logPath)
		}
		line = strings.TrimSpace(sc.Text())
		go func() {
			for sc.Scan() {
				fmt.Fprintln(lf, sc.Text())
			}
		}()
	}
	go func() {
		p.done <- cmd.Wait()
		lf.Close()
	}()
	return p, line, nil
}

// stop sends SIGTERM and waits up to 15 s before killing.
func (p *process) stop() {
	if p == nil {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// exited reports the process's exit if it has already ended.
func (p *process) exited() error {
	select {
	case err := <-p.done:
		p.done <- err
		if err == nil {
			err = errors.New("exited")
		}
		return fmt.Errorf("%s %w (log: %s)", p.name, err, p.log)
	default:
		return nil
	}
}

// waitReady polls url until it answers 200, the process dies or 60 s pass.
func waitReady(ctx context.Context, p *process, url string) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if err := p.exited(); err != nil {
			return err
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("%s not ready at %s after 60s (log: %s)", p.name, url, p.log)
}
