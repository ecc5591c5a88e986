package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/bursar/bursar/internal/apperr"
)

// An outage of the database is 503 with the error envelope and Retry-After, not a 500 (issue 7,
// dependency faults); so is a request whose deadline passed. Other failures stay 500.
func TestWriteErrorUnavailable(t *testing.T) {
	down := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	s := &Server{log: suiteLogger(), isOutage: func(err error) bool { var n *net.OpError; return errors.As(err, &n) }}
	expired, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name  string
		ctx   context.Context
		err   error
		want  int
		retry string
	}{
		{"database unreachable", context.Background(), fmt.Errorf("session: %w", down), http.StatusServiceUnavailable, "1"},
		{"wrapped as internal", context.Background(), &apperr.Error{Kind: apperr.Internal, Message: "x", Err: down}, http.StatusServiceUnavailable, "1"},
		{"deadline passed", expired, fmt.Errorf("query: %w", context.DeadlineExceeded), http.StatusServiceUnavailable, "1"},
		{"deadline error while the request still has time", context.Background(), context.DeadlineExceeded, http.StatusInternalServerError, ""},
		{"a defect", context.Background(), errors.New("boom"), http.StatusInternalServerError, ""},
		{"a client error", context.Background(), apperr.Field("amount", "bad"), http.StatusBadRequest, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			r := httptest.NewRequest("GET", "/budgets/", nil).WithContext(tc.ctx)
			s.writeError(w, r, tc.err)
			if w.Code != tc.want || w.Header().Get("Retry-After") != tc.retry {
				t.Fatalf("status %d, Retry-After %q; want %d, %q", w.Code, w.Header().Get("Retry-After"), tc.want, tc.retry)
			}
			var env envelope
			if err := json.Unmarshal(w.Body.Bytes(), &env); err != nil || env.Error.Status != tc.want || env.Error.Message == "" {
				t.Fatalf("body %s is not the envelope of %d (%v)", w.Body, tc.want, err)
			}
		})
	}
}
