package faultproxy

import (
	"bufio"
	"errors"
	"net"
	"syscall"
	"testing"
	"time"
)

// echo runs a line echo server until the test ends.
func echo(t *testing.T) string {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lis.Close() })
	go func() {
		for {
			c, err := lis.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				r := bufio.NewReader(c)
				for {
					line, err := r.ReadString('\n')
					if err != nil {
						return
					}
					if _, err := c.Write([]byte(line)); err != nil {
						return
					}
				}
			}()
		}
	}()
	return lis.Addr().String()
}

// roundTrip sends a line and reads it back, giving up after wait.
func roundTrip(c net.Conn, line string, wait time.Duration) (string, error) {
	if err := c.SetDeadline(time.Now().Add(wait)); err != nil {
		return "", err
	}
	if _, err := c.Write([]byte(line + "\n")); err != nil {
		return "", err
	}
	got, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return "", err
	}
	return got[:len(got)-1], nil
}

func TestCutRefusesAndRestoreListensAgain(t *testing.T) {
	t.Parallel()
	p, err := Start(echo(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got, err := roundTrip(c, "你好", 5*time.Second); err != nil || got != "你好" {
		t.Fatalf("through the proxy: %q, %v", got, err)
	}

	p.Cut()
	if _, err := roundTrip(c, "again", 5*time.Second); err == nil {
		t.Fatal("a connection open before the cut still works")
	}
	if _, err := net.Dial("tcp", p.Addr()); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("dial during the cut: %v, want connection refused", err)
	}

	if err := p.Restore(); err != nil {
		t.Fatal(err)
	}
	c2, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if got, err := roundTrip(c2, "back", 5*time.Second); err != nil || got != "back" {
		t.Fatalf("after restore: %q, %v", got, err)
	}
}

func TestStallHoldsBytesUntilRestore(t *testing.T) {
	t.Parallel()
	p, err := Start(echo(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := roundTrip(c, "one", 5*time.Second); err != nil {
		t.Fatal(err)
	}

	p.Stall()
	// The line goes out but no reply comes while stalled: the read times
	// out (the deadline only bounds the test, it asserts no timing).
	_, err = roundTrip(c, "two", 200*time.Millisecond)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("during the stall: %v, want a read timeout", err)
	}
	// A new connection is accepted, not refused, and hangs too.
	c2, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatalf("dial during the stall: %v", err)
	}
	defer c2.Close()

	if err := p.Restore(); err != nil {
		t.Fatal(err)
	}
	// The held line arrives now.
	if err := c.SetDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	got, err := bufio.NewReader(c).ReadString('\n')
	if err != nil || got != "two\n" {
		t.Fatalf("held bytes after restore: %q, %v", got, err)
	}
	if got, err := roundTrip(c2, "three", 5*time.Second); err != nil || got != "three" {
		t.Fatalf("connection opened during the stall: %q, %v", got, err)
	}
}
