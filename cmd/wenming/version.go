package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/wenming/wenming/internal/buildinfo"
)

type versionCmd struct{}

func (versionCmd) Run(std stdio) error {
	_, err := fmt.Fprintln(std.out, buildinfo.Get())
	return err
}

type healthcheckCmd struct {
	HTTPAddr string        `name:"http-addr" env:"WENMING_HTTP_ADDR" default:":8080" placeholder:"ADDR" help:"The server's HTTP address; an empty host means 127.0.0.1."`
	Timeout  time.Duration `default:"3s" help:"Give up after this long."`
}

// Run asks the local server's /readyz; images without curl use it in
// their HEALTHCHECK. Anything but 200 is a failure (exit 1).
func (c *healthcheckCmd) Run(ctx context.Context, std stdio) error {
	host, port, err := net.SplitHostPort(c.HTTPAddr)
	if err != nil {
		return fmt.Errorf("--http-addr: %w", err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	url := "http://" + net.JoinHostPort(host, port) + "/readyz"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("not ready: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not ready: %s answered %s: %s", url, resp.Status, body)
	}
	fmt.Fprintf(std.out, "ready: %s\n", url)
	return nil
}
