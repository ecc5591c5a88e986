package bench

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Fixtures copied from a Linux 6.x /proc, trimmed.
const (
	statFixture = `4242 (bursar (serve) x) S 1 4242 4242 0 -1 4194560 12045 0 3 0 1234 567 0 0 20 0 9 0 ` +
		`123456 1258291200 9150 18446744073709551615 1 1 0 0 0 0 0 0 2143420159 0 0 0 17 1 0 0 0 0 0`
	statusFixture = "Name:\tbursar\nUmask:\t0022\nState:\tS (sleeping)\nVmPeak:\t 1300000 kB\n" +
		"VmSize:\t 1228800 kB\nVmHWM:\t   90000 kB\nVmRSS:\t   36600 kB\nRssAnon:\t   20000 kB\nThreads:\t9\n"
	tcpFixture = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 5678 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 9999 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000    26        0 3333 1 0000000000000000 100 0 0 10 0
`
	tcp6Fixture = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 7777 1 0000000000000000 100 0 0 10 0
`
)

func TestParseStat(t *testing.T) {
	got, err := parseStat(statFixture)
	if err != nil || got != 1234+567 {
		t.Fatalf("parseStat = %d, %v; want %d", got, err, 1234+567)
	}
	for _, bad := range []string{"", "1 (x) S 1 2", "1 (x) S 1 2 3 4 5 6 7 8 9 10 ten 11 12"} {
		if _, err := parseStat(bad); err == nil {
			t.Errorf("parseStat(%q) must fail", bad)
		}
	}
}

func TestParseRSS(t *testing.T) {
	got, err := parseRSS(statusFixture)
	if err != nil || got != 36600 {
		t.Fatalf("parseRSS = %d, %v; want 36600", got, err)
	}
	if _, err := parseRSS("Name:\tx\n"); err == nil {
		t.Error("no VmRSS must fail")
	}
	if _, err := parseRSS("VmRSS:\t12 MB\n"); err == nil {
		t.Error("an odd unit must fail")
	}
}

func TestListeningInodes(t *testing.T) {
	for _, tc := range []struct {
		name string
		text string
		port int
		want string
	}{
		{"listener, not the established socket", tcpFixture, 8080, "5678"},
		{"another port", tcpFixture, 5432, "3333"},
		{"nothing on the port", tcpFixture, 9090, ""},
		{"ipv6 any address", tcp6Fixture, 8081, "7777"},
		{"header only", "  sl  local_address\n", 8080, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := strings.Join(listeningInodes(tc.text, tc.port), ","); got != tc.want {
				t.Fatalf("listeningInodes(%d) = %q, want %q", tc.port, got, tc.want)
			}
		})
	}
}

// fakeProc builds a /proc with two processes; 4242 holds the socket listening on 8080.
func fakeProc(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	write := func(name, text string) {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	link := func(target, name string) {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	write("net/tcp", tcpFixture)
	write("net/tcp6", tcp6Fixture)
	write("self/stat", statFixture)
	link("/dev/null", "17/fd/0")
	link("socket:[9999]", "17/fd/1")
	link("/dev/null", "4242/fd/0")
	link("socket:[5678]", "4242/fd/7")
	write("4242/stat", statFixture)
	write("4242/status", statusFixture)
	write("cpuinfo", "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n")
	write("meminfo", "MemTotal:       24684544 kB\nMemFree:        21787640 kB\n")
	return root
}

func TestFindListener(t *testing.T) {
	root := fakeProc(t)
	if got := findListener(root, 8080); got != 4242 {
		t.Fatalf("findListener(8080) = %d, want 4242", got)
	}
	if got := findListener(root, 8081); got != 0 {
		t.Fatalf("findListener(8081) = %d: nobody holds inode 7777", got)
	}
	if got := findListener(filepath.Join(root, "missing"), 8080); got != 0 {
		t.Fatalf("no /proc: %d, want 0", got)
	}
}

func TestServerPID(t *testing.T) {
	root := fakeProc(t)
	for _, tc := range []struct {
		name string
		cfg  Config
		want int
		err  bool
	}{
		{"found by port", Config{URL: "http://127.0.0.1:8080"}, 4242, false},
		{"localhost", Config{URL: "http://localhost:8080"}, 4242, false},
		{"remote host is not looked up", Config{URL: "http://192.0.2.10:8080"}, 0, false},
		{"no listener", Config{URL: "http://127.0.0.1:9"}, 0, false},
		{"given", Config{URL: "http://192.0.2.10:8080", ServerPID: 4242}, 4242, false},
		{"given but absent", Config{URL: "http://127.0.0.1:8080", ServerPID: 5}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &runner{cfg: &tc.cfg, procRoot: root}
			got, err := r.serverPID()
			if got != tc.want || (err != nil) != tc.err {
				t.Fatalf("serverPID = %d, %v; want %d (error %v)", got, err, tc.want, tc.err)
			}
		})
	}
}

func TestUsage(t *testing.T) {
	u := usage(250, 2*time.Second, 153600, 102400)
	if math.Abs(u.CPUPercent-125) > 1e-9 || u.RSSPeakMiB != 150 || u.RSSEndMiB != 100 {
		t.Fatalf("usage = %+v; want 125%% of a core, 150 MiB peak, 100 MiB at the end", u)
	}
}

func TestSamplerOnFixture(t *testing.T) {
	root := fakeProc(t)
	s := startSampler(root, "4242", time.Millisecond)
	if s == nil {
		t.Fatal("sampler did not start")
	}
	time.Sleep(5 * time.Millisecond)
	u := s.finish()
	if u == nil || u.CPUPercent != 0 || math.Abs(u.RSSPeakMiB-36600.0/1024) > 1e-9 || u.RSSEndMiB != u.RSSPeakMiB {
		t.Fatalf("usage %+v; want no CPU (unchanged stat) and 35.7 MiB", u)
	}
	if startSampler(root, "17", time.Millisecond) != nil {
		t.Fatal("a process without a readable stat must give no sampler")
	}
	var none *sampler
	if none.finish() != nil {
		t.Fatal("a nil sampler finishes with nil")
	}
}

func TestSamplerOnThisProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs /proc")
	}
	s := startSampler("/proc", "self", time.Millisecond)
	deadline := time.Now().Add(30 * time.Millisecond)
	for time.Now().Before(deadline) { // burn some CPU
	}
	u := s.finish()
	if u == nil || u.RSSPeakMiB <= 0 || u.RSSEndMiB <= 0 || u.CPUPercent < 0 {
		t.Fatalf("usage of this process: %+v", u)
	}
}

func TestParseComm(t *testing.T) {
	for s, want := range map[string]string{statFixture: "bursar (serve) x", "12 (postgres) S 1": "postgres", "x": ""} {
		if got := parseComm(s); got != want {
			t.Errorf("parseComm(%.20q) = %q, want %q", s, got, want)
		}
	}
}

func TestCommCPU(t *testing.T) {
	root := fakeProc(t)
	stat := func(pid, comm string, ticks int) {
		line := fmt.Sprintf("%s (%s) S 1 1 1 0 -1 0 0 0 0 0 %d 0 0 0 20 0 1 0 1 1 1", pid, comm, ticks)
		if err := os.WriteFile(filepath.Join(root, pid, "stat"), []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, pid := range []string{"50", "51"} {
		if err := os.MkdirAll(filepath.Join(root, pid), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	stat("50", "postgres", 100)
	stat("51", "postgres", 200)
	if got, ok := commTicks(root, "postgres"); !ok || got != 300 {
		t.Fatalf("commTicks = %d, %v; want 300", got, ok)
	}
	c := startCommCPU(root, "postgres")
	stat("51", "postgres", 300)
	if got := c.finish(); got <= 0 {
		t.Fatalf("CPU %v after 100 more ticks, want > 0", got)
	}
	if startCommCPU(root, "mysqld") != nil || startCommCPU(root, "") != nil {
		t.Fatal("no process, or no name: no measure")
	}
	var none *commCPU
	if none.finish() != 0 {
		t.Fatal("a nil measure gives 0")
	}
}

func TestParseCPULine(t *testing.T) {
	busy, total, err := parseCPULine("cpu  100 5 50 800 40 3 2 1 7 0\ncpu0 50 2 25 400 20 1 1 0 0 0\n")
	if err != nil || busy != 161 || total != 1001 {
		t.Fatalf("parseCPULine = %d busy of %d, %v; want 161 of 1001", busy, total, err)
	}
	for _, bad := range []string{"", "cpu0 1 2 3 4 5", "cpu 1 2 x 4 5"} {
		if _, _, err := parseCPULine(bad); err == nil {
			t.Errorf("parseCPULine(%q) must fail", bad)
		}
	}
}

func TestMachineCPU(t *testing.T) {
	root := t.TempDir()
	stat := filepath.Join(root, "stat")
	write := func(s string) {
		if err := os.WriteFile(stat, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("cpu 100 0 100 800 0 0 0 0 0 0\n")
	m := startMachineCPU(root)
	write("cpu 250 0 150 1000 0 0 0 0 0 0\n") // 200 busy of 400
	if got := m.finish(2); math.Abs(got-100) > 1e-9 {
		t.Fatalf("machine busy %v%%, want 100%% (half of two cores)", got)
	}
	var none *machineCPU
	if none.finish(2) != -1 || startMachineCPU(filepath.Join(root, "missing")) != nil {
		t.Fatal("an unreadable /proc/stat must give −1")
	}
}

func TestMachine(t *testing.T) {
	m := machine(fakeProc(t))
	if m.CPUModel != "AMD EPYC 7B13" || m.MemMiB != 24106 || m.CPUs < 1 || !strings.HasPrefix(m.Go, "go") {
		t.Fatalf("machine = %+v", m)
	}
}

func TestIsLocalHost(t *testing.T) {
	for host, want := range map[string]bool{"localhost": true, "LOCALHOST": true, "127.0.0.1": true, "::1": true,
		"0.0.0.0": true, "192.0.2.10": false, "bursar.example.com": false, "": false} {
		if got := isLocalHost(host); got != want {
			t.Errorf("isLocalHost(%q) = %v, want %v", host, got, want)
		}
	}
}
