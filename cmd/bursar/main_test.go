package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestVersionAndUnknownCommand(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"version"}, func(string) string { return "" }, &out, io.Discard); err != nil || !strings.HasPrefix(out.String(), "bursar ") {
		t.Fatalf("version: %q, %v", out.String(), err)
	}
	if err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, io.Discard, io.Discard); err == nil {
		t.Fatal("an unknown command must fail")
	}
}

func TestMigrateCreatesTheDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	if err := run(context.Background(), []string{"migrate", "-database-url", path}, func(string) string { return "" }, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("database file not created: %v", err)
	}
}

// TestServeStartsAndStops runs the server the README's way (defaults but for the file and port),
// checks it answers, and stops it as SIGTERM would.
func TestServeStartsAndStops(t *testing.T) {
	dir := t.TempDir()
	addrc := make(chan string, 1)
	listening = func(a string) { addrc <- a }
	t.Cleanup(func() { listening = nil })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	pprofc := make(chan string, 1)
	pprofListening = func(a string) { pprofc <- a }
	t.Cleanup(func() { pprofListening = nil })
	env := map[string]string{"DATABASE_URL": filepath.Join(dir, "bursar.db"), "BURSAR_ADDR": "127.0.0.1:0",
		"BURSAR_PPROF_ADDR": "127.0.0.1:0"}
	go func() { done <- run(ctx, nil, func(k string) string { return env[k] }, io.Discard, io.Discard) }()
	var addr string
	select {
	case addr = <-addrc:
	case err := <-done:
		t.Fatalf("server ended early: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start")
	}
	pprofAddr := <-pprofc // BURSAR_PPROF_ADDR: Go's profiles on their own listener, not the API's
	for _, url := range []string{"http://" + addr + "/healthz", "http://" + addr + "/readyz",
		"http://" + pprofAddr + "/debug/pprof/heap"} {
		res, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", url, res.StatusCode)
		}
	}
	if res, err := http.Get("http://" + addr + "/debug/pprof/heap"); err != nil || res.StatusCode != http.StatusNotFound {
		t.Fatalf("the API's listener serves profiles: %v %v", res, err)
	} else {
		res.Body.Close()
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("server did not stop")
	}
}
