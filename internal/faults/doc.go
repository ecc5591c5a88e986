// Package faults holds Bursar's fault-injection tests (issue 7): they run the real binary,
// kill it with SIGKILL or SIGTERM under load, stop PostgreSQL, Redis and the SMTP server
// under it, and check that no acknowledged write is lost, nothing is half-applied, every
// invariant holds and service comes back by itself. They touch shared services, so they are
// behind the build tag "faults" and outside `go test ./...`:
//
//	go test -tags faults -count=1 -v ./internal/faults
//
// (.ci/faults runs them after the main suite; RELIABILITY.md lists what each proves.)
package faults
