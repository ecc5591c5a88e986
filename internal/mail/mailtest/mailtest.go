// Package mailtest runs a real SMTP server inside a test (github.com/emersion/go-smtp on
// 127.0.0.1) that keeps every message it accepts, decoded, for assertions. Tests only.
package mailtest

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one accepted message.
type Message struct {
	From    string   // envelope sender (MAIL FROM)
	To      []string // envelope recipients (RCPT TO)
	Header  netmail.Header
	Subject string // decoded
	Body    string // decoded from its transfer encoding
	TLS     bool   // the message came over TLS (STARTTLS or implicit)
}

// Options configure a Server; the zero value is a plain server without TLS or authentication.
type Options struct {
	TLS      *tls.Config // with Implicit false: offer STARTTLS; with Implicit true: TLS from the start
	Implicit bool
	User     string // when set, AUTH PLAIN with User and Password is required before MAIL
	Password string
	Addr     string // address to listen on; "": 127.0.0.1 with a random port
}

// Server is an SMTP server on 127.0.0.1 (a random port unless Options.Addr), closed when the
// test ends.
type Server struct {
	Addr string // host:port

	mu       sync.Mutex
	messages []Message
	rejects  map[string]int // recipient → how many more RCPTs to refuse
	changed  chan struct{}  // closed and replaced whenever a message arrives
	opts     Options
}

// NewServer starts a server.
func NewServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s := &Server{rejects: map[string]int{}, changed: make(chan struct{}), opts: opts}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &session{s: s, conn: c}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = opts.TLS == nil
	var ln net.Listener
	var err error
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if opts.Implicit {
		ln, err = tls.Listen("tcp", addr, opts.TLS)
	} else {
		srv.TLSConfig = opts.TLS
		ln, err = net.Listen("tcp", addr)
	}
	if err != nil {
		t.Fatalf("smtp listen: %v", err)
	}
	s.Addr = ln.Addr().String()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	t.Cleanup(func() {
		srv.Close()
		<-done
	})
	return s
}

// URL returns the smtp:// (or, for an implicit-TLS server, smtps://) URL of the server,
// with user and password when given.
func (s *Server) URL(user, password string) string {
	scheme := "smtp"
	if s.opts.Implicit {
		scheme = "smtps"
	}
	cred := ""
	if user != "" {
		cred = user + ":" + password + "@"
	}
	return scheme + "://" + cred + s.Addr
}

// Reject makes the next n RCPT commands for addr fail with a temporary error (451).
func (s *Server) Reject(addr string, n int) {
	s.mu.Lock()
	s.rejects[strings.ToLower(addr)] = n
	s.mu.Unlock()
}

// Messages returns the messages accepted so far, in arrival order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

// Wait returns once at least n messages arrived, or fails with ctx's error.
func (s *Server) Wait(ctx context.Context, n int) ([]Message, error) {
	for {
		s.mu.Lock()
		got, changed := len(s.messages), s.changed
		s.mu.Unlock()
		if got >= n {
			return s.Messages(), nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return s.Messages(), fmt.Errorf("%d of %d messages arrived: %w", got, n, ctx.Err())
		}
	}
}

func (s *Server) add(m Message) {
	s.mu.Lock()
	s.messages = append(s.messages, m)
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

func (s *Server) refuse(addr string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(addr)
	if s.rejects[key] > 0 {
		s.rejects[key]--
		return true
	}
	return false
}

type session struct {
	s      *Server
	conn   *smtp.Conn
	authed bool
	from   string
	to     []string
}

var _ smtp.AuthSession = (*session)(nil)

func (c *session) AuthMechanisms() []string {
	if c.s.opts.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (c *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != c.s.opts.User || pass != c.s.opts.Password {
			return errors.New("invalid credentials")
		}
		c.authed = true
		return nil
	}), nil
}

func (c *session) Mail(from string, _ *smtp.MailOptions) error {
	if c.s.opts.User != "" && !c.authed {
		return smtp.ErrAuthRequired
	}
	c.from = from
	return nil
}

func (c *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if c.s.refuse(to) {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 0, 0}, Message: "try again later"}
	}
	c.to = append(c.to, to)
	return nil
}

func (c *session) Data(r io.Reader) error {
	m, err := netmail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, err := io.ReadAll(m.Body)
	if err != nil {
		return err
	}
	switch strings.ToLower(m.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body, err = io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
	case "base64":
		body, err = io.ReadAll(base64.NewDecoder(base64.StdEncoding, bytes.NewReader(bytes.ReplaceAll(
			bytes.ReplaceAll(body, []byte("\r"), nil), []byte("\n"), nil))))
	}
	if err != nil {
		return err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return err
	}
	_, secure := c.conn.TLSConnectionState()
	c.s.add(Message{From: c.from, To: c.to, Header: m.Header, Subject: subject,
		Body: strings.ReplaceAll(string(body), "\r\n", "\n"), TLS: secure})
	return nil
}

func (c *session) Reset() { c.from, c.to = "", nil }

func (c *session) Logout() error { return nil }
