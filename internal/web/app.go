package web

import (
	"log/slog"
	"net/http"
	"time"

	"google.golang.org/grpc"
)

// Env is what the server gives every web app.
type Env struct {
	// Conn reaches the gRPC server in-process, through every interceptor.
	Conn *grpc.ClientConn
	// PublicURL is the address citizens reach this server at (--public-url),
	// e.g. "https://wenming.example.gov.cn"; "" when not configured.
	PublicURL string
	// SubKey derives a per-purpose key from the server secret (nil when no
	// secret is configured); pages never see the secret itself.
	SubKey func(purpose string) []byte
	// Now is the clock; Location the configured time zone.
	Now      func() time.Time
	Location *time.Location
	Logger   *slog.Logger
}

// App is one browser app: the patterns it owns on the HTTP mux (Go 1.22
// patterns such as "/f/" or "GET /kiosk/") and the handler serving them.
type App struct {
	Name     string
	Patterns []string
	Handler  http.Handler
}
