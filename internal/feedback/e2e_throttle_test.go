package feedback_test

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"

	feedbackv1 "github.com/wenming/wenming/gen/go/wenming/feedback/v1"
	"github.com/wenming/wenming/internal/feedback"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/server"
	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
	"github.com/wenming/wenming/internal/testserver"
)

// fromAddr dials out of a chosen loopback address, so one test can be
// several clients.
func fromAddr(ip string) *net.Dialer {
	return &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
}

func TestAnonymousFloodIsThrottledPerAddress(t *testing.T) {
	db := storetest.Default(t)
	deps := rpc.Deps{DB: db, Location: shanghai}
	srv, err := server.New(server.Config{
		GRPCAddr: "127.0.0.1:0", HTTPAddr: "127.0.0.1:0", Migrate: true, DrainTimeout: 5 * time.Second,
		AnonRatePerMinute: 1, AnonBurst: 3, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, deps)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	base := "http://" + srv.HTTPAddr()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not become ready")
		}
		time.Sleep(20 * time.Millisecond)
	}
	svc, err := feedback.New(deps)
	if err != nil {
		t.Fatal(err)
	}
	var target feedback.Target
	if err := db.WithTx(ctx, func(tx *store.Tx) error {
		target, err = svc.CreateTarget(ctx, tx, feedback.TargetInput{Kind: feedback.Department, Name: "接待服务"})
		return err
	}); err != nil {
		t.Fatal(err)
	}

	grpcFrom := func(ip string) feedbackv1.RatingServiceClient {
		d := fromAddr(ip)
		conn, err := grpc.NewClient(srv.GRPCAddr(), grpc.WithTransportCredentials(insecure.NewCredentials()),
			grpc.WithContextDialer(func(ctx context.Context, addr string) (net.Conn, error) {
				return d.DialContext(ctx, "tcp", addr)
			}))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return feedbackv1.NewRatingServiceClient(conn)
	}
	submit := func(c feedbackv1.RatingServiceClient) codes.Code {
		_, err := c.SubmitRating(context.Background(), &feedbackv1.SubmitRatingRequest{TargetId: target.ID, Level: 4})
		return status.Code(err)
	}
	flooder, other := grpcFrom("127.0.0.1"), grpcFrom("127.0.0.2")
	for i := range 3 { // the burst
		if c := submit(flooder); c != codes.OK {
			t.Fatalf("rating %d from the flooder: %s", i+1, c)
		}
	}
	if c := submit(flooder); c != codes.ResourceExhausted {
		t.Fatalf("4th rating from one address: %s, want RESOURCE_EXHAUSTED", c)
	}
	if c := submit(other); c != codes.OK {
		t.Fatalf("another address is throttled too: %s", c)
	}

	// Over HTTP the same, with 429.
	httpFrom := func(ip string) *http.Client {
		return &http.Client{Transport: &http.Transport{DialContext: fromAddr(ip).DialContext}}
	}
	post := func(c *http.Client) int {
		resp, err := c.Post(base+"/v1/feedback/ratings", "application/json",
			strings.NewReader(`{"target_id": "`+target.ID+`", "level": 5}`))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	webFlooder := httpFrom("127.0.0.3")
	for i := range 3 {
		if s := post(webFlooder); s != http.StatusOK {
			t.Fatalf("HTTP rating %d: %d", i+1, s)
		}
	}
	if s := post(webFlooder); s != http.StatusTooManyRequests {
		t.Fatalf("4th HTTP rating from one address: %d, want 429", s)
	}
	if s := post(httpFrom("127.0.0.4")); s != http.StatusOK {
		t.Fatalf("another HTTP address: %d", s)
	}
	if n := testserver.Count(t, db, "feedback_ratings"); n != 8 {
		t.Fatalf("%d ratings stored, want 3+1+3+1 = 8", n)
	}
}
