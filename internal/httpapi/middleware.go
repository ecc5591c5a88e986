package httpapi

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/bursar/bursar/internal/apperr"
)

type ctxKey int

const (
	keyInfo ctxKey = iota
	keyUser
)

// reqInfo is filled in as the request goes through the layers, for the access log and metrics.
type reqInfo struct {
	id      string
	pattern string // route pattern, "not_found" or "method_not_allowed"
	path    string // the path as the client sent it
	userID  string
}

func infoFrom(ctx context.Context) *reqInfo {
	if i, ok := ctx.Value(keyInfo).(*reqInfo); ok {
		return i
	}
	return &reqInfo{}
}

func requestID(ctx context.Context) string { return infoFrom(ctx).id }

// requestID takes X-Request-ID from the client when it is sane, else makes one, and echoes it;
// it also sets the security headers every response carries.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rid := r.Header.Get("X-Request-ID")
		if !saneID(rid) {
			var b [12]byte
			_, _ = rand.Read(b[:])
			rid = hex.EncodeToString(b[:])
		}
		h := w.Header()
		h.Set("X-Request-ID", rid)
		// Security headers on every response: the API serves private financial data and tokens,
		// never anything a browser should sniff, frame, cache or pass on as a referrer.
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		info := &reqInfo{id: rid, path: r.URL.Path}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), keyInfo, info)))
	})
}

func saneID(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	size   int
}

func (sw *statusWriter) WriteHeader(code int) {
	if sw.status == 0 {
		sw.status = code
	}
	sw.ResponseWriter.WriteHeader(code)
}

func (sw *statusWriter) Write(b []byte) (int, error) {
	if sw.status == 0 {
		sw.status = http.StatusOK
	}
	n, err := sw.ResponseWriter.Write(b)
	sw.size += n
	return n, err
}

func (sw *statusWriter) Unwrap() http.ResponseWriter { return sw.ResponseWriter }

// observe writes the access log line and the request metrics.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		elapsed := time.Since(start)
		info := infoFrom(r.Context())
		s.metrics.observe(r.Method, info.pattern, sw.status, elapsed)
		s.log.LogAttrs(r.Context(), logLevel(sw.status), "request",
			slogStr("request_id", info.id), slogStr("method", r.Method), slogStr("path", info.path),
			slogStr("route", info.pattern), slogInt("status", sw.status), slogInt("bytes", sw.size),
			slogDur("duration", elapsed), slogStr("user_id", info.userID), slogStr("remote", r.RemoteAddr))
	})
}

// recoverPanics turns a panic into a 500 envelope with the request id; the stack goes to the log.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "panic", "request_id", requestID(r.Context()),
					"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
				s.writeError(w, r, &apperr.Error{Kind: apperr.Internal, Message: "panic"})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// deadline bounds each request's work.
func (s *Server) deadline(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
