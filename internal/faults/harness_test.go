//go:build faults

package faults

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/store/sqlstore"
)

// binary is the bursar executable built once for the whole run.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "bursar-faults-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binary = filepath.Join(dir, "bursar")
	build := exec.Command("go", "build", "-o", binary, "github.com/bursar/bursar/cmd/bursar")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build bursar:", err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// backend is one database a test runs on.
type backend struct {
	name string // "sqlite" or "postgres"
	dsn  string
}

// eachBackend runs fn on a fresh SQLite file, and on a fresh PostgreSQL database when
// BURSAR_TEST_POSTGRES_URL is set (the database is dropped when the test ends).
func eachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, backend{name: "sqlite", dsn: filepath.Join(t.TempDir(), "bursar.db")})
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, backend{name: "postgres", dsn: freshPostgres(t)})
	})
}

// freshPostgres creates an empty database next to BURSAR_TEST_POSTGRES_URL's and returns its URL.
func freshPostgres(t *testing.T) string {
	t.Helper()
	base := os.Getenv("BURSAR_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("BURSAR_TEST_POSTGRES_URL not set")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("bursar_faults_%d_%d", os.Getpid(), time.Now().UnixNano())
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		for ctx.Err() == nil { // PostgreSQL may still be coming back from a restart test
			if _, err = admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err == nil {
				return
			}
			time.Sleep(200 * time.Millisecond)
		}
		t.Logf("drop database %s: %v", name, err)
	})
	u.Path = "/" + name
	return u.String()
}

// server is one running bursar process.
type server struct {
	t      *testing.T
	dsn    string
	addr   string
	env    []string
	cmd    *exec.Cmd
	dir    string // where the logs go
	logs   string // path of the current process's log file
	exited chan struct{}
	err    error // the process's exit, once exited is closed
	starts int
}

// newServer prepares a server on the database dsn with extra environment; it does not start it.
func newServer(t *testing.T, dsn string, env ...string) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	// The logs' folder is made before the cleanup below is registered, so that it is removed
	// after that cleanup has shown a failed test's log (cleanups run last first).
	s := &server{t: t, dsn: dsn, addr: addr, dir: t.TempDir(), env: append([]string{
		"DATABASE_URL=" + dsn, "BURSAR_ADDR=" + addr, "BURSAR_LOG_LEVEL=info",
		// rate limits off unless a test sets them (later entries win)
		"BURSAR_RATE_LIMIT_MINUTE=0", "BURSAR_RATE_LIMIT_DAY=0",
		"BURSAR_RATE_LIMIT_AUTH_MINUTE=0", "BURSAR_RATE_LIMIT_AUTH_HOUR=0",
		// cheap password hashes: the tests are about faults, not sign-in cost
		"BURSAR_ARGON2_MEMORY_KIB=8192", "BURSAR_ARGON2_TIME=1",
	}, env...)}
	t.Cleanup(func() {
		if s.running() {
			_ = s.cmd.Process.Kill()
			<-s.exited
		}
		if t.Failed() {
			s.dumpLog()
		}
	})
	return s
}

func (s *server) url() string { return "http://" + s.addr }

// start runs the process and waits until /healthz answers.
func (s *server) start() {
	s.t.Helper()
	s.starts++
	s.logs = filepath.Join(s.dir, fmt.Sprintf("bursar-%d.log", s.starts))
	f, err := os.Create(s.logs)
	if err != nil {
		s.t.Fatal(err)
	}
	cmd := exec.Command(binary, "serve")
	cmd.Env = append(os.Environ(), s.env...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.cmd, s.exited = cmd, make(chan struct{})
	go func() {
		s.err = cmd.Wait()
		f.Close()
		close(s.exited)
	}()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			s.dumpLog()
			s.t.Fatalf("bursar exited while starting: %v", s.err)
		default:
		}
		res, err := http.Get(s.url() + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	s.t.Fatal("bursar did not answer /healthz within 30 s")
}

func (s *server) running() bool {
	if s.cmd == nil {
		return false
	}
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

// kill ends the process with SIGKILL: no shutdown, no flush, nothing.
func (s *server) kill() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		s.t.Fatal(err)
	}
	<-s.exited
}

// terminate sends SIGTERM and waits for the process to exit; it returns the exit error.
func (s *server) terminate(wait time.Duration) error {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	select {
	case <-s.exited:
		return s.err
	case <-time.After(wait):
		s.t.Fatalf("bursar did not exit within %s of SIGTERM", wait)
		return nil
	}
}

// log returns the current process's log.
func (s *server) log() string {
	b, _ := os.ReadFile(s.logs)
	return string(b)
}

func (s *server) dumpLog() {
	// The errors of every process this server ran (a test may have restarted it since).
	for i := 1; i <= s.starts; i++ {
		name := filepath.Join(s.dir, fmt.Sprintf("bursar-%d.log", i))
		b, _ := os.ReadFile(name)
		var errs []string
		for _, l := range strings.Split(string(b), "\n") {
			if strings.Contains(l, "level=ERROR") && len(errs) < 20 {
				errs = append(errs, l)
			}
		}
		if len(errs) > 0 {
			s.t.Logf("errors in %s:\n%s", name, strings.Join(errs, "\n"))
		}
	}
	lines := strings.Split(strings.TrimSpace(s.log()), "\n")
	if len(lines) > 60 {
		lines = lines[len(lines)-60:]
	}
	s.t.Logf("last lines of %s:\n%s", s.logs, strings.Join(lines, "\n"))
}

// metric returns the value of an unlabelled metric from /metrics.
func (s *server) metric(name string) (float64, error) {
	res, err := http.Get(s.url() + "/metrics")
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			var f float64
			_, err := fmt.Sscan(v, &f)
			return f, err
		}
	}
	return 0, fmt.Errorf("metric %s not found", name)
}

// openStore opens the database behind a server for checks made directly in SQL.
func openStore(t *testing.T, dsn string) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// client speaks JSON to a server.
type client struct {
	base string
	http *http.Client
}

func newClient(base string) *client {
	return &client{base: base, http: &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 64}}}
}

// reply is one answer; status 0 means no answer arrived (the connection failed).
type reply struct {
	status  int
	body    map[string]any
	raw     []byte
	err     error
	elapsed time.Duration
}

func (c *client) do(ctx context.Context, method, path string, body any, token string) reply {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return reply{err: err}
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return reply{err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	start := time.Now()
	res, err := c.http.Do(req)
	if err != nil {
		return reply{err: err, elapsed: time.Since(start)}
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	r := reply{status: res.StatusCode, raw: raw, err: err, elapsed: time.Since(start)}
	if err != nil {
		r.status = 0 // a cut-off answer is no answer
		return r
	}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

// must fails the test unless the reply has the status.
func (r reply) must(t *testing.T, status int) reply {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d (err %v), want %d: %s", r.status, r.err, status, r.raw)
	}
	return r
}

// obj returns the object under key (Business family) or the body itself.
func (r reply) obj(key string) map[string]any {
	if m, ok := r.body[key].(map[string]any); ok {
		return m
	}
	return r.body
}

// isEnvelope reports whether the reply is the JSON error envelope of its status.
func (r reply) isEnvelope() bool {
	e, ok := r.body["error"].(map[string]any)
	if !ok {
		return false
	}
	st, _ := e["status"].(float64)
	msg, _ := e["message"].(string)
	return int(st) == r.status && msg != ""
}

// counter is a goroutine-safe tally of statuses.
type counter struct {
	mu sync.Mutex
	n  map[int]int
}

func (c *counter) add(status int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[int]int{}
	}
	c.n[status]++
}

func (c *counter) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return fmt.Sprint(c.n)
}

var errStop = errors.New("stop")
