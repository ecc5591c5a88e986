package bench

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Linux process accounting read from /proc: which process listens on a port, its CPU time and
// its resident memory. Everything takes the /proc root so tests can use fixture files.

// userHZ is the unit of the CPU times in /proc/<pid>/stat (USER_HZ, 100 on every Linux ABI Go
// supports).
const userHZ = 100

// parseStat returns utime+stime, in clock ticks, of a /proc/<pid>/stat line. The command name
// (field 2) may hold spaces and parentheses, so fields are counted after its last ')'.
func parseStat(s string) (uint64, error) {
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, errors.New("proc stat: no command name")
	}
	f := strings.Fields(s[i+1:])
	// f[0] is field 3 (state); utime and stime are fields 14 and 15.
	if len(f) < 13 {
		return 0, fmt.Errorf("proc stat: %d fields after the name, want at least 13", len(f))
	}
	u, err1 := strconv.ParseUint(f[11], 10, 64)
	st, err2 := strconv.ParseUint(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, fmt.Errorf("proc stat: %w", err)
	}
	return u + st, nil
}

// parseRSS returns VmRSS in KiB from /proc/<pid>/status text.
func parseRSS(s string) (uint64, error) {
	for line := range strings.Lines(s) {
		rest, ok := strings.CutPrefix(line, "VmRSS:")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("proc status: odd VmRSS line %q", strings.TrimSpace(line))
		}
		return strconv.ParseUint(f[0], 10, 64)
	}
	return 0, errors.New("proc status: no VmRSS")
}

// tcpListen is the socket state LISTEN in /proc/net/tcp{,6}.
const tcpListen = "0A"

// listeningInodes returns the socket inodes listening on port in /proc/net/tcp or tcp6 text.
func listeningInodes(s string, port int) []string {
	var out []string
	for line := range strings.Lines(s) {
		f := strings.Fields(line)
		// sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
		if len(f) < 10 || f[3] != tcpListen {
			continue
		}
		_, hexPort, ok := strings.Cut(f[1], ":")
		if !ok {
			continue
		}
		p, err := strconv.ParseUint(hexPort, 16, 16)
		if err != nil || int(p) != port || f[9] == "0" {
			continue
		}
		out = append(out, f[9])
	}
	return out
}

// findListener returns the process that holds a socket listening on port, or 0 when none is
// found (a server on another machine, in another container, or of another user).
func findListener(procRoot string, port int) int {
	want := map[string]bool{}
	for _, name := range []string{"net/tcp", "net/tcp6"} {
		b, err := os.ReadFile(filepath.Join(procRoot, name))
		if err != nil {
			continue
		}
		for _, ino := range listeningInodes(string(b), port) {
			want["socket:["+ino+"]"] = true
		}
	}
	if len(want) == 0 {
		return 0
	}
	dirs, err := os.ReadDir(procRoot)
	if err != nil {
		return 0
	}
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil || pid <= 0 {
			continue
		}
		fds, err := os.ReadDir(filepath.Join(procRoot, d.Name(), "fd"))
		if err != nil {
			continue
		}
		for _, fd := range fds {
			link, err := os.Readlink(filepath.Join(procRoot, d.Name(), "fd", fd.Name()))
			if err == nil && want[link] {
				return pid
			}
		}
	}
	return 0
}

// isLocalHost reports whether host names this machine, so a process listening on the port here
// is the server.
func isLocalHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return false
	}
	if ip.IsLoopback() || ip.IsUnspecified() {
		return true
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return false
	}
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && n.IP.Equal(ip) {
			return true
		}
	}
	return false
}

// ProcUsage is what a process used during one scenario.
type ProcUsage struct {
	CPUPercent float64 `json:"cpu_pct"`      // of one core: 200 is two cores busy
	RSSPeakMiB float64 `json:"rss_peak_mib"` // highest resident memory sampled
	RSSEndMiB  float64 `json:"rss_end_mib"`  // resident memory at the end
}

// sampler measures a process's CPU over an interval and samples its RSS for the peak.
type sampler struct {
	root  string
	pid   string // "self" or a number
	every time.Duration

	t0    time.Time
	tick0 uint64
	peak  uint64
	stop  chan struct{}
	done  sync.WaitGroup
	mu    sync.Mutex
	valid bool
}

// startSampler begins measuring process pid under procRoot; nil when it cannot be read.
func startSampler(procRoot, pid string, every time.Duration) *sampler {
	s := &sampler{root: procRoot, pid: pid, every: every, stop: make(chan struct{})}
	ticks, err := s.ticks()
	if err != nil {
		return nil
	}
	s.t0, s.tick0, s.valid = time.Now(), ticks, true
	s.sampleRSS()
	s.done.Add(1)
	go func() {
		defer s.done.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.sampleRSS()
			}
		}
	}()
	return s
}

func (s *sampler) ticks() (uint64, error) {
	b, err := os.ReadFile(filepath.Join(s.root, s.pid, "stat"))
	if err != nil {
		return 0, err
	}
	return parseStat(string(b))
}

func (s *sampler) rss() (uint64, error) {
	b, err := os.ReadFile(filepath.Join(s.root, s.pid, "status"))
	if err != nil {
		return 0, err
	}
	return parseRSS(string(b))
}

func (s *sampler) sampleRSS() {
	kib, err := s.rss()
	if err != nil {
		return
	}
	s.mu.Lock()
	s.peak = max(s.peak, kib)
	s.mu.Unlock()
}

// finish stops sampling and returns the usage since start; nil when the process went away.
func (s *sampler) finish() *ProcUsage {
	if s == nil {
		return nil
	}
	close(s.stop)
	s.done.Wait()
	ticks, err1 := s.ticks()
	end, err2 := s.rss()
	wall := time.Since(s.t0)
	if err1 != nil || err2 != nil || wall <= 0 {
		return nil
	}
	return usage(ticks-s.tick0, wall, max(s.peak, end), end)
}

// usage turns CPU ticks over wall time and RSS in KiB into a ProcUsage.
func usage(ticks uint64, wall time.Duration, peakKiB, endKiB uint64) *ProcUsage {
	return &ProcUsage{
		CPUPercent: float64(ticks) / userHZ / wall.Seconds() * 100,
		RSSPeakMiB: float64(peakKiB) / 1024,
		RSSEndMiB:  float64(endKiB) / 1024,
	}
}

// parseComm returns the command name (field 2) of a /proc/<pid>/stat line.
func parseComm(s string) string {
	i, j := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
	if i < 0 || j < i {
		return ""
	}
	return s[i+1 : j]
}

// commTicks sums the CPU ticks of every process named comm (e.g. "postgres": the database
// server's processes on this machine), and reports whether there was any.
func commTicks(procRoot, comm string) (uint64, bool) {
	dirs, err := os.ReadDir(procRoot)
	if err != nil {
		return 0, false
	}
	var sum uint64
	found := false
	for _, d := range dirs {
		if _, err := strconv.Atoi(d.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(procRoot, d.Name(), "stat"))
		if err != nil || parseComm(string(b)) != comm {
			continue
		}
		if t, err := parseStat(string(b)); err == nil {
			sum += t
			found = true
		}
	}
	return sum, found
}

// commCPU measures the CPU of the processes named comm over an interval.
type commCPU struct {
	root, comm string
	t0         time.Time
	ticks      uint64
}

// startCommCPU begins measuring; nil when comm is "" or no such process runs.
func startCommCPU(procRoot, comm string) *commCPU {
	if comm == "" {
		return nil
	}
	t, ok := commTicks(procRoot, comm)
	if !ok {
		return nil
	}
	return &commCPU{root: procRoot, comm: comm, t0: time.Now(), ticks: t}
}

// finish returns their CPU since start in percent of one core; 0 when unknown. Processes that
// ended meanwhile take their ticks with them, so this may fall short, never over.
func (c *commCPU) finish() float64 {
	if c == nil {
		return 0
	}
	t, ok := commTicks(c.root, c.comm)
	wall := time.Since(c.t0)
	if !ok || t < c.ticks || wall <= 0 {
		return 0
	}
	return float64(t-c.ticks) / userHZ / wall.Seconds() * 100
}

// parseCPULine returns the busy and total ticks of all CPUs from /proc/stat text (its first
// line: user nice system idle iowait irq softirq steal …; idle and iowait are not busy).
func parseCPULine(s string) (busy, total uint64, err error) {
	line, _, _ := strings.Cut(s, "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return 0, 0, errors.New("proc stat: no cpu line")
	}
	for i, v := range f[1:] {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("proc stat: %w", err)
		}
		if i >= 8 { // guest and guest_nice are already counted in user and nice
			break
		}
		total += n
		if i != 3 && i != 4 {
			busy += n
		}
	}
	return busy, total, nil
}

// machineCPU measures how busy the whole machine is over an interval, to tell whether other
// processes competed with the server and the load generator.
type machineCPU struct {
	root        string
	busy, total uint64
}

func startMachineCPU(procRoot string) *machineCPU {
	b, err := os.ReadFile(filepath.Join(procRoot, "stat"))
	if err != nil {
		return nil
	}
	busy, total, err := parseCPULine(string(b))
	if err != nil {
		return nil
	}
	return &machineCPU{root: procRoot, busy: busy, total: total}
}

// finish returns the busy share of all CPUs since start in percent of one core (200 is two
// cores busy), or -1 when unknown.
func (m *machineCPU) finish(cpus int) float64 {
	if m == nil {
		return -1
	}
	b, err := os.ReadFile(filepath.Join(m.root, "stat"))
	if err != nil {
		return -1
	}
	busy, total, err := parseCPULine(string(b))
	if err != nil || total <= m.total {
		return -1
	}
	return float64(busy-m.busy) / float64(total-m.total) * float64(cpus) * 100
}

// Machine describes where the bench ran.
type Machine struct {
	CPUs     int    `json:"cpus"`
	CPUModel string `json:"cpu_model"`
	MemMiB   int    `json:"mem_mib"`
	Go       string `json:"go"`
	OS       string `json:"os"`
}

// cpuModel returns the first "model name" of /proc/cpuinfo text.
func cpuModel(s string) string {
	sc := bufio.NewScanner(strings.NewReader(s))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// memTotalMiB returns MemTotal of /proc/meminfo text in MiB.
func memTotalMiB(s string) int {
	for line := range strings.Lines(s) {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			f := strings.Fields(rest)
			if len(f) == 2 {
				kib, _ := strconv.Atoi(f[0])
				return kib / 1024
			}
		}
	}
	return 0
}
