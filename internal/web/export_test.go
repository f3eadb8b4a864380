package web

import (
	"net/http"
	"testing"
)

// ExportedTestApp lets the external browser test serve the test app.
func ExportedTestApp(t *testing.T) http.Handler { return testApp(t) }
