package bench

import (
	"math"
	"slices"
	"strconv"
	"time"
)

// Latency summarises the latencies of one scenario's requests.
type Latency struct {
	P50, P90, P99, Max time.Duration
}

// percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of sorted latencies: the
// smallest value at least p% of the samples do not exceed. An empty slice gives 0.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// summarize sorts lat in place and returns its percentiles.
func summarize(lat []time.Duration) Latency {
	slices.Sort(lat)
	l := Latency{P50: percentile(lat, 50), P90: percentile(lat, 90), P99: percentile(lat, 99)}
	if len(lat) > 0 {
		l.Max = lat[len(lat)-1]
	}
	return l
}

// rate is n events over d, per second; 0 when d is not positive.
func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// statusTransport is the tally key of requests that got no HTTP answer at all.
const statusTransport = "transport"

// tally counts a scenario's failed requests by HTTP status ("404", "500") or statusTransport.
type tally map[string]int

func (t tally) status(code int) { t[strconv.Itoa(code)]++ }

func (t tally) transport() { t[statusTransport]++ }

// add merges o into t.
func (t tally) add(o tally) {
	for k, n := range o {
		t[k] += n
	}
}

// total is the number of failures in t.
func (t tally) total() int {
	n := 0
	for _, v := range t {
		n += v
	}
	return n
}

// sample is what one worker records during a measured run.
type sample struct {
	lat      []time.Duration
	errors   tally
	examples map[string]string // the first answer (or transport error) of each failure key
}

func newSample() *sample {
	return &sample{lat: make([]time.Duration, 0, 4096), errors: tally{}, examples: map[string]string{}}
}

// example keeps text as the example of failure key unless one is kept already.
func (s *sample) example(key, text string) {
	if _, ok := s.examples[key]; !ok {
		s.examples[key] = text
	}
}

// merge joins the workers' samples into one.
func merge(ws []*sample) *sample {
	n := 0
	for _, w := range ws {
		n += len(w.lat)
	}
	out := &sample{lat: make([]time.Duration, 0, n), errors: tally{}, examples: map[string]string{}}
	for _, w := range ws {
		out.lat = append(out.lat, w.lat...)
		out.errors.add(w.errors)
		for k, v := range w.examples {
			out.example(k, v)
		}
	}
	return out
}
