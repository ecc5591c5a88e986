package bench

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func durations(ms ...int) []time.Duration {
	out := make([]time.Duration, len(ms))
	for i, m := range ms {
		out[i] = time.Duration(m) * time.Millisecond
	}
	return out
}

func TestPercentile(t *testing.T) {
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = time.Duration(i+1) * time.Millisecond
	}
	for _, tc := range []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one sample", durations(7), 99, 7 * time.Millisecond},
		{"median of odd", durations(1, 2, 3), 50, 2 * time.Millisecond},
		{"median of even is the lower", durations(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p90 of 1..100", hundred, 90, 90 * time.Millisecond},
		{"p99 of 1..100", hundred, 99, 99 * time.Millisecond},
		{"p100 is the max", hundred, 100, 100 * time.Millisecond},
		{"p99 of 10 is the max", durations(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
		{"tiny p is the min", hundred, 0.001, time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := percentile(tc.sorted, tc.p); got != tc.want {
				t.Fatalf("percentile(p%v) = %v, want %v", tc.p, got, tc.want)
			}
		})
	}
}

func TestSummarizeSorts(t *testing.T) {
	got := summarize(durations(9, 1, 5, 3, 7, 2, 8, 4, 6, 10))
	want := Latency{P50: 5 * time.Millisecond, P90: 9 * time.Millisecond, P99: 10 * time.Millisecond, Max: 10 * time.Millisecond}
	if got != want {
		t.Fatalf("summarize = %+v, want %+v", got, want)
	}
	if (summarize(nil) != Latency{}) {
		t.Fatal("summarize(nil) must be zero")
	}
}

func TestRate(t *testing.T) {
	for _, tc := range []struct {
		n    int
		d    time.Duration
		want float64
	}{
		{1000, time.Second, 1000},
		{5000, 2500 * time.Millisecond, 2000},
		{3, 300 * time.Millisecond, 10},
		{10, 0, 0},
		{10, -time.Second, 0},
	} {
		if got := rate(tc.n, tc.d); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("rate(%d, %v) = %v, want %v", tc.n, tc.d, got, tc.want)
		}
	}
}

func TestTallyAndMerge(t *testing.T) {
	a := &sample{lat: durations(1, 2), errors: tally{}}
	a.errors.status(500)
	a.errors.status(429)
	a.errors.status(500)
	b := &sample{lat: durations(3), errors: tally{}}
	b.errors.transport()
	b.errors.status(429)
	m := merge([]*sample{a, b})
	if want := (tally{"500": 2, "429": 2, statusTransport: 1}); !reflect.DeepEqual(m.errors, want) {
		t.Fatalf("merged errors %v, want %v", m.errors, want)
	}
	if m.errors.total() != 5 || len(m.lat) != 3 {
		t.Fatalf("total %d over %d samples, want 5 over 3", m.errors.total(), len(m.lat))
	}
}

func TestNewResult(t *testing.T) {
	s := &sample{lat: durations(4, 1, 3, 2), errors: tally{"503": 1}}
	r := newResult("x", s, 2*time.Second)
	want := Result{Name: "x", Requests: 4, Errors: 1, RPS: 2, ElapsedS: 2,
		LatencyMS: LatencyMS{P50: 2, P90: 4, P99: 4, Max: 4}, ByStatus: map[string]int{"503": 1}}
	if !reflect.DeepEqual(r, want) {
		t.Fatalf("newResult:\n got %+v\nwant %+v", r, want)
	}
	if got := errorText(r); got != "1 (503×1)" {
		t.Fatalf("errorText = %q", got)
	}
	r.ByStatus, r.Errors = map[string]int{"transport": 2, "500": 1200}, 1202
	if got := errorText(r); got != "1,202 (500×1200 transport×2)" {
		t.Fatalf("errorText = %q", got)
	}
}

// TestReportJSONFieldNames pins the JSON names scripts compare runs with.
func TestReportJSONFieldNames(t *testing.T) {
	rep := Report{URL: "http://x", Scenarios: []Result{{Name: "healthz", ByStatus: map[string]int{},
		Server: &ProcUsage{CPUPercent: 1}}}}
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"url"`, `"started_at"`, `"connections"`, `"duration_s"`, `"machine"`, `"cpus"`,
		`"cpu_model"`, `"mem_mib"`, `"data"`, `"hot_cash_flows"`, `"scenarios"`, `"name"`, `"requests"`, `"errors"`,
		`"rps"`, `"latency_ms"`, `"p50"`, `"p90"`, `"p99"`, `"max"`, `"errors_by_status"`, `"server"`, `"cpu_pct"`,
		`"rss_peak_mib"`, `"rss_end_mib"`, `"client_cpu_pct"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("JSON lacks %s: %s", key, b)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -45000: "-45,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestProgressLine(t *testing.T) {
	for _, tc := range []struct {
		name         string
		n, total     int64
		elapsed, lim time.Duration
		want         string
	}{
		{"fraction and time left", 250_000, 1_000_000, 5 * time.Second, 0,
			"load: 250,000/1,000,000 (25%), 50,000/s, 15s left"},
		{"fixed duration", 12_000, 0, 3 * time.Second, 10 * time.Second, "load: 12,000, 4,000/s, 3.0s of 10s"},
		{"done", 10, 10, time.Second, 0, "load: 10/10 (100%), 10/s"},
		{"not started", 0, 0, 0, 0, "load: 0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := progressLine("load", tc.n, tc.total, tc.elapsed, tc.lim); got != tc.want {
				t.Fatalf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

func TestProgressRewritesOneLine(t *testing.T) {
	var out strings.Builder
	p := newProgress(&out, time.Hour, true) // the ticker never fires: drawn by draw and end only
	p.begin("a long stage name", 3, 0)
	p.add(3)
	p.draw()
	p.begin("short", 0, 0)
	p.end()
	p.close()
	got := out.String()
	if !strings.HasPrefix(got, "\ra long stage name: 3/3") || !strings.Contains(got, "\rshort: 0") || !strings.HasSuffix(got, "\n") {
		t.Fatalf("progress output %q", got)
	}
	// the shorter line blanks what is left of the longer one
	last := got[strings.LastIndex(got, "\r"):]
	if len(strings.TrimSuffix(last, "\n")) < len("\ra long stage name: 3/3") {
		t.Fatalf("short line does not cover the long one: %q", got)
	}
}

func TestProgressOffATerminal(t *testing.T) {
	var out strings.Builder
	p := newProgress(&out, time.Millisecond, isTerminal(&out))
	p.begin("load", 2, 0)
	p.add(2)
	p.draw()
	p.end()
	p.close()
	if got := out.String(); !strings.HasPrefix(got, "load: 2/2 (100%)") || strings.Contains(got, "\r") || strings.Count(got, "\n") != 1 {
		t.Fatalf("off a terminal: %q, want the final line only", got)
	}
}
