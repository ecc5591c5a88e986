package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"sync"

	"github.com/bursar/bursar/internal/apperr"
)

// envelope is the one error shape of both families (conventions "Errors").
type envelope struct {
	Error envelopeBody `json:"error"`
}

type envelopeBody struct {
	Status    int                 `json:"status"`
	Message   string              `json:"message"`
	Code      string              `json:"code,omitempty"`
	Details   map[string][]string `json:"details,omitempty"`
	Invalid   []string            `json:"invalid,omitempty"`
	RequestID string              `json:"request_id,omitempty"`
}

var kindStatus = map[apperr.Kind]int{
	apperr.Internal:             http.StatusInternalServerError,
	apperr.Invalid:              http.StatusBadRequest,
	apperr.Unauthenticated:      http.StatusUnauthorized,
	apperr.Forbidden:            http.StatusForbidden,
	apperr.NotFound:             http.StatusNotFound,
	apperr.Conflict:             http.StatusConflict,
	apperr.RateLimited:          http.StatusTooManyRequests,
	apperr.TooLarge:             http.StatusRequestEntityTooLarge,
	apperr.UnsupportedMediaType: http.StatusUnsupportedMediaType,
	apperr.MethodNotAllowed:     http.StatusMethodNotAllowed,
	apperr.Unavailable:          http.StatusServiceUnavailable,
}

// msgUnavailable answers a request that failed because the database could not be reached or
// the request's deadline passed: the client should retry (issue 7, dependency faults).
const msgUnavailable = "The service is temporarily unavailable; try again shortly."

// unavailable reports whether err is an outage rather than a defect: the database is
// unreachable (Deps.Unavailable), or the request ran out of time.
func (s *Server) unavailable(r *http.Request, err error) bool {
	if errors.Is(err, context.DeadlineExceeded) && r.Context().Err() != nil {
		return true
	}
	return s.isOutage != nil && s.isOutage(err)
}

// writeError is the only place an error becomes a response.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	e, ok := apperr.As(err)
	if (!ok || e.Kind == apperr.Internal) && s.unavailable(r, err) {
		s.log.WarnContext(r.Context(), "request failed: service unavailable", "err", err, "request_id", requestID(r.Context()))
		e = &apperr.Error{Kind: apperr.Unavailable, Message: msgUnavailable}
	} else if !ok || e.Kind == apperr.Internal {
		if !errors.Is(err, errClientGone) {
			s.log.ErrorContext(r.Context(), "request failed", "err", err, "request_id", requestID(r.Context()))
		}
		e = &apperr.Error{Kind: apperr.Internal, Message: "An unexpected error occurred."}
	} else if e.Err != nil {
		s.log.DebugContext(r.Context(), "client error", "err", e.Err, "request_id", requestID(r.Context()))
	}
	status := kindStatus[e.Kind]
	body := envelopeBody{Status: status, Message: e.Message, Code: e.Code, Details: e.Fields, Invalid: e.Invalid}
	if status == http.StatusInternalServerError {
		body.RequestID = requestID(r.Context())
	}
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "1")
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
	}
	writeRaw(w, status, envelope{Error: body}, s.log)
}

var errClientGone = errors.New("client went away")

// writeJSON writes v as the response body with the given status.
// jsonBuffers keeps the buffers responses are encoded into: a page of 50 items grows a fresh
// buffer through several copies.
var jsonBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	buf := jsonBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 {
			jsonBuffers.Put(buf)
		}
	}()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false) // links keep their "&"
	if err := enc.Encode(v); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	return nil
}

func writeRaw(w http.ResponseWriter, status int, v any, log *slog.Logger) {
	if err := writeJSON(w, status, v); err != nil {
		log.Error("encode error response", "err", err)
	}
}

// noContent answers 204 with no body (Budgets-family deletes, as the predecessor did).
func noContent(w http.ResponseWriter) error {
	w.WriteHeader(http.StatusNoContent)
	return nil
}
