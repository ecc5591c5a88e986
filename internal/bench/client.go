package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// client speaks to the server under test over one keep-alive transport shared by every worker.
type client struct {
	base string
	hc   *http.Client
}

func newClient(base string, conns int, timeout time.Duration) *client {
	tr := &http.Transport{
		Proxy:               nil, // measure the server, not a proxy
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        2 * conns,
		MaxIdleConnsPerHost: 2 * conns, // ≥ conns: no worker ever reconnects because the pool is full
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
	return &client{base: base, hc: &http.Client{Transport: tr, Timeout: timeout}}
}

func (c *client) close() { c.hc.CloseIdleConnections() }

// StatusError is an answer with an unexpected status during preparation.
type StatusError struct {
	Method, Path string
	Status       int
	Body         string // the start of the answer
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("%s %s: status %d, want success: %s", e.Method, e.Path, e.Status, e.Body)
	if e.Status == http.StatusTooManyRequests {
		msg += "\nthe server rate-limits requests; start it with rate limits off:\n  " + rateLimitsOff
	}
	return msg
}

// ErrRateLimited is matched (errors.Is) by a StatusError with status 429.
var ErrRateLimited = errors.New("rate limited")

// Is makes errors.Is(err, ErrRateLimited) true for a 429.
func (e *StatusError) Is(target error) bool {
	return target == ErrRateLimited && e.Status == http.StatusTooManyRequests
}

// newRequest builds a request; body, when not nil, is sent as JSON.
func (c *client) newRequest(ctx context.Context, method, path, token string, body []byte) (*http.Request, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req, nil
}

// call sends a request with body (marshalled to JSON when not nil) and decodes a 2xx answer into
// out (when not nil); any other status is a *StatusError.
func (c *client) call(ctx context.Context, method, path, token string, body, out any) error {
	var data []byte
	if body != nil {
		var err error
		if data, err = json.Marshal(body); err != nil {
			return err
		}
	}
	req, err := c.newRequest(ctx, method, path, token, data)
	if err != nil {
		return err
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return &StatusError{Method: method, Path: path, Status: res.StatusCode, Body: string(b[:min(len(b), 300)])}
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: decode answer: %w", method, path, err)
		}
	}
	return nil
}

// routeExists tells whether the server has a route at path: an unknown route is 404, a known
// one that needs a token is 401 (or anything else but 404).
func (c *client) routeExists(ctx context.Context, path string) (bool, error) {
	err := c.call(ctx, http.MethodGet, path, "", nil, nil)
	var se *StatusError
	switch {
	case err == nil:
		return true, nil
	case errors.As(err, &se):
		return se.Status != http.StatusNotFound, nil
	default:
		return false, err
	}
}
