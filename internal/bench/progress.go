package bench

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// progress keeps one status line on a terminal (stderr), rewritten in place with '\r' a few
// times a second, so long loads show what they are doing and how far they got. On anything but
// a terminal (a log file, CI) it writes each stage's final line only.
type progress struct {
	w     io.Writer
	every time.Duration
	live  bool

	mu    sync.Mutex
	what  string
	total int64 // 0: open-ended (shows elapsed time instead of a fraction)
	limit time.Duration
	start time.Time
	width int // of the last line, to blank what a shorter line leaves
	n     atomic.Int64

	stop chan struct{}
	done sync.WaitGroup
}

// newProgress starts the ticker when live; w nil gives a progress that prints nothing.
func newProgress(w io.Writer, every time.Duration, live bool) *progress {
	p := &progress{w: w, every: every, live: live, stop: make(chan struct{})}
	if w == nil || !live {
		return p
	}
	p.done.Add(1)
	go func() {
		defer p.done.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.draw()
			}
		}
	}()
	return p
}

// begin starts a stage of total items (0 when unknown) or of a fixed duration.
func (p *progress) begin(what string, total int, limit time.Duration) {
	p.mu.Lock()
	p.what, p.total, p.limit, p.start = what, int64(total), limit, time.Now()
	p.n.Store(0)
	p.mu.Unlock()
}

// add counts n more items done in the current stage.
func (p *progress) add(n int) { p.n.Add(int64(n)) }

// end finishes the current stage: its last line is drawn and left on the screen.
func (p *progress) end() {
	p.draw()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.w != nil && p.what != "" && !p.live {
		fmt.Fprintln(p.w, progressLine(p.what, p.n.Load(), p.total, time.Since(p.start), p.limit))
	}
	if p.w != nil && p.width > 0 {
		fmt.Fprintln(p.w)
	}
	p.what, p.width = "", 0
}

// close stops the ticker.
func (p *progress) close() {
	if p.w != nil && p.live {
		close(p.stop)
		p.done.Wait()
	}
}

func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.w == nil || p.what == "" || !p.live {
		return
	}
	line := progressLine(p.what, p.n.Load(), p.total, time.Since(p.start), p.limit)
	pad := max(0, p.width-len(line))
	fmt.Fprintf(p.w, "\r%s%s", line, strings.Repeat(" ", pad))
	p.width = len(line)
}

// progressLine renders one status line: the stage, items done (of total), the rate, and the
// time left when it can be known.
func progressLine(what string, n, total int64, elapsed, limit time.Duration) string {
	var b strings.Builder
	b.WriteString(what)
	b.WriteString(": ")
	b.WriteString(thousands(int(n)))
	if total > 0 {
		fmt.Fprintf(&b, "/%s (%.0f%%)", thousands(int(total)), 100*float64(n)/float64(total))
	}
	if s := elapsed.Seconds(); s > 0 {
		fmt.Fprintf(&b, ", %s/s", thousands(int(float64(n)/s)))
	}
	switch {
	case limit > 0:
		fmt.Fprintf(&b, ", %.1fs of %s", elapsed.Seconds(), limit)
	case total > 0 && n > 0 && n < total:
		left := time.Duration(float64(elapsed) * float64(total-n) / float64(n))
		fmt.Fprintf(&b, ", %s left", left.Round(time.Second))
	}
	return b.String()
}

// thousands renders n with comma separators: 1234567 → "1,234,567".
func thousands(n int) string {
	if n < 0 {
		return "-" + thousands(-n)
	}
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// isTerminal reports whether w is a terminal, where a line can be rewritten in place.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
