package web

import (
	"net/http"
	"time"

	"github.com/wenming/wenming/internal/apierr"
)

// RetryInFlight makes a form's submit call, retrying while the server
// answers REQUEST_ID_IN_FLIGHT. A double tap sends one request id twice at
// once; the second may find the first still being written, and since the
// browser shows only the last answer, it waits for the first to land and
// answers with its result (the replay) instead of an error.
func RetryInFlight(r *http.Request, call func() error) error {
	for attempt := 1; ; attempt++ {
		err := call()
		if err == nil || attempt == 5 || apierr.Reason(ProblemOf(err).Reason) != apierr.RequestIDInFlight {
			return err
		}
		select {
		case <-r.Context().Done():
			return err
		case <-time.After(time.Duration(attempt) * 50 * time.Millisecond):
		}
	}
}
