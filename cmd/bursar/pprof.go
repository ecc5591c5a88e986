package main

import (
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// pprofListening, when set (tests), receives the profiling listener's address.
var pprofListening func(addr string)

// servePprof serves Go's profiles (net/http/pprof: CPU, heap, goroutines, mutex and block
// contention, traces) on a listener of their own at addr, apart from the API and its
// middleware, for performance work on a running server (BENCHMARKS.md). "" serves nothing. The
// profiles reveal the program's internals: bind it to loopback or a private network.
func servePprof(addr string, log *slog.Logger) (stop func(), err error) {
	if addr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	log.Info("profiles served", "addr", "http://"+ln.Addr().String()+"/debug/pprof/")
	if pprofListening != nil {
		pprofListening(ln.Addr().String())
	}
	return func() { _ = srv.Close() }, nil
}
