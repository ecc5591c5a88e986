package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"time"
)

// runScenario warms up, then measures one scenario.
func (r *runner) runScenario(ctx context.Context, sc *Scenario, pid int) (Result, error) {
	if r.cfg.Warmup > 0 {
		r.prog.begin(sc.Name+" (warm-up)", 0, r.cfg.Warmup)
		if _, _, err := r.load(ctx, sc, r.cfg.Warmup); err != nil {
			return Result{}, err
		}
	}
	var srv *sampler
	if pid > 0 {
		srv = startSampler(r.procRoot, strconv.Itoa(pid), 100*time.Millisecond)
	}
	self := startSampler(r.procRoot, "self", time.Second)
	all := startMachineCPU(r.procRoot)
	db := startCommCPU(r.procRoot, r.cfg.DBProcess)
	r.prog.begin(sc.Name, 0, r.cfg.Duration)
	s, elapsed, err := r.load(ctx, sc, r.cfg.Duration)
	r.prog.end()
	server, client, machineBusy, dbCPU := srv.finish(), self.finish(), all.finish(runtime.NumCPU()), db.finish()
	if err != nil {
		return Result{}, err
	}
	res := newResult(sc.Name, s, elapsed)
	res.Server = server
	if client != nil {
		res.ClientCPU = client.CPUPercent
	}
	res.MachineCPU, res.DBCPU = machineBusy, dbCPU
	if sc.check != nil {
		detail, err := sc.check(ctx, r.env)
		res.Check = &Check{OK: err == nil, Detail: detail}
		if err != nil {
			res.Check.Detail = err.Error()
		}
	}
	return res, nil
}

// load runs sc on every connection until d has passed and returns what the workers recorded and
// how long it took until the last answer.
func (r *runner) load(ctx context.Context, sc *Scenario, d time.Duration) (*sample, time.Duration, error) {
	conns := r.cfg.Connections
	ws := make([]*sample, conns)
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(d)
	errc := make(chan error, conns)
	for w := range conns {
		s := newSample()
		ws[w] = s
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(deadline) {
				req, err := sc.request(ctx, r.env, w)
				if err != nil {
					errc <- err
					return
				}
				t0 := time.Now()
				status, err := r.send(req, sc.Want, s)
				s.lat = append(s.lat, time.Since(t0))
				switch {
				case err != nil && ctx.Err() != nil:
					s.lat = s.lat[:len(s.lat)-1] // interrupted, not failed
				case err != nil:
					s.errors.transport()
					s.example(statusTransport, err.Error())
				case status != sc.Want:
					s.errors.status(status)
				}
				if sc.done != nil {
					sc.done(r.env, w, status)
				}
				r.prog.add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errc)
	if err := <-errc; err != nil {
		return nil, 0, fmt.Errorf("bench: %s: %w", sc.Name, err)
	}
	return merge(ws), elapsed, ctx.Err()
}

// send sends req and reads the whole answer; the first answer of each unexpected status is kept
// in s as an example.
func (r *runner) send(req *http.Request, want int, s *sample) (int, error) {
	res, err := r.env.c.hc.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if res.StatusCode != want {
		key := strconv.Itoa(res.StatusCode)
		if _, ok := s.examples[key]; !ok {
			b, _ := io.ReadAll(io.LimitReader(res.Body, 300))
			s.example(key, string(b))
		}
	}
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, err
}
