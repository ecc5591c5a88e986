package httpapi

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// The whole suite's servers log, at debug level, into suiteLog; after the tests TestMain scans it
// for what must never be logged: passwords, the signing secret, tokens.
var suiteLog logSink

type logSink struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func suiteLogger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(&suiteLog, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// jwtLike matches a JSON Web Token (the encoded header always starts with eyJ).
var jwtLike = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*`)

// leaks returns what log holds that it must not: the passwords the tests use, the signing
// secret, and any token.
func leaks(log []byte) []string {
	var out []string
	for _, secret := range []string{testPassword, strings.Repeat("k", 32), "Another-Plenty-7-entropy"} {
		if bytes.Contains(log, []byte(secret)) {
			out = append(out, fmt.Sprintf("secret %q", secret))
		}
	}
	for _, m := range jwtLike.FindAll(log, 5) {
		out = append(out, fmt.Sprintf("token %.40s…", m))
	}
	return out
}

func TestMain(m *testing.M) {
	code := m.Run()
	if code == 0 && !testing.Short() {
		suiteLog.mu.Lock()
		log := suiteLog.buf.Bytes()
		if found := leaks(log); len(found) > 0 {
			fmt.Fprintf(os.Stderr, "FAIL: the servers' logs hold secrets: %s\n", strings.Join(found, "; "))
			code = 1
		} else {
			fmt.Fprintf(os.Stderr, "log scan: %d lines, no secrets\n", bytes.Count(log, []byte("\n")))
		}
		suiteLog.mu.Unlock()
	}
	os.Exit(code)
}

// TestLogScanFindsLeaks: the scan itself finds a password, the secret and a token.
func TestLogScanFindsLeaks(t *testing.T) {
	log := []byte(`{"msg":"x","pw":"` + testPassword + `","tok":"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc"}`)
	if got := leaks(log); len(got) != 2 {
		t.Fatalf("leaks = %v, want the password and the token", got)
	}
	if got := leaks([]byte(`{"msg":"request","path":"/me","status":200}`)); len(got) != 0 {
		t.Fatalf("leaks of a clean log = %v", got)
	}
}
