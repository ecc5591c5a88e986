//go:build faults

package faults

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// The commands that stop and start the shared services, as README's "Reliability" section
// names them; each can be replaced through its environment variable.
var (
	redisStop  = command("BURSAR_FAULTS_REDIS_STOP", "redis-cli -h 127.0.0.1 -p 6379 shutdown nosave")
	redisStart = command("BURSAR_FAULTS_REDIS_START", `redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" `+
		`--appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log`)
	redisUp = command("BURSAR_FAULTS_REDIS_UP", "redis-cli -h 127.0.0.1 -p 6379 ping")
	pgStop  = command("BURSAR_FAULTS_PG_STOP", "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main stop -m fast")
	pgStart = command("BURSAR_FAULTS_PG_START", "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start")
	pgUp    = command("BURSAR_FAULTS_PG_UP", "pg_isready -h 127.0.0.1 -p 5432")
)

func command(env, def string) string {
	if v := os.Getenv(env); v != "" {
		return v
	}
	return def
}

// sh runs a shell command and returns its error with its output.
func sh(cmd string) error {
	out, err := exec.Command("sh", "-c", cmd).CombinedOutput()
	if err != nil {
		return &cmdError{cmd: cmd, out: string(out), err: err}
	}
	return nil
}

type cmdError struct {
	cmd, out string
	err      error
}

func (e *cmdError) Error() string { return e.cmd + ": " + e.err.Error() + ": " + e.out }

// ensureUp makes sure a service answers again when the test ends, whatever happened: the
// services are shared, and are always left running.
func ensureUp(t *testing.T, name, up, start string) {
	t.Cleanup(func() {
		if sh(up) == nil {
			return
		}
		if err := sh(start); err != nil {
			t.Errorf("restart %s: %v", name, err)
		}
		if d, ok := waitUp(up, 60*time.Second); !ok {
			t.Errorf("%s is not back after %s", name, d)
		}
	})
}

// waitUp polls up until it succeeds; it returns how long that took.
func waitUp(up string, limit time.Duration) (time.Duration, bool) {
	start := time.Now()
	for time.Since(start) < limit {
		if sh(up) == nil {
			return time.Since(start), true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return time.Since(start), false
}
