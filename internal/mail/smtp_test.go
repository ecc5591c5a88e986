package mail

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"log/slog"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/bursar/bursar/internal/mail/mailtest"
)

// selfSigned returns a server certificate for 127.0.0.1 and a client config that trusts only it.
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

var msg = Message{From: "bursar@example.com", To: "ana@example.com", Subject: "Your budgets summary",
	Body: "Casa (01J): incomes 10.00, expenses 2.50, total 7.50\nViagem – 2026 (01H): incomes 0.00, expenses 0.00, total 0.00\n"}

func TestSMTPDelivers(t *testing.T) {
	serverTLS, clientTLS := selfSigned(t)
	cases := []struct {
		name string
		opts mailtest.Options
		user string
		pass string
	}{
		{name: "plain smtp without TLS", opts: mailtest.Options{}},
		{name: "STARTTLS with authentication", opts: mailtest.Options{TLS: serverTLS, User: "bursar", Password: "s3cret"},
			user: "bursar", pass: "s3cret"},
		{name: "smtps with implicit TLS and authentication",
			opts: mailtest.Options{TLS: serverTLS, Implicit: true, User: "bursar", Password: "s3cret"}, user: "bursar", pass: "s3cret"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := mailtest.NewServer(t, tc.opts)
			s, err := NewSMTP(srv.URL(tc.user, tc.pass))
			if err != nil {
				t.Fatal(err)
			}
			s.tlsConfig = clientTLS
			if err := s.Send(context.Background(), msg); err != nil {
				t.Fatalf("send: %v", err)
			}
			got := srv.Messages()
			if len(got) != 1 {
				t.Fatalf("got %d messages, want 1", len(got))
			}
			m := got[0]
			if m.From != msg.From || len(m.To) != 1 || m.To[0] != msg.To {
				t.Errorf("envelope = %s → %v, want %s → [%s]", m.From, m.To, msg.From, msg.To)
			}
			if m.TLS != (tc.opts.TLS != nil) {
				t.Errorf("message over TLS = %v, want %v", m.TLS, tc.opts.TLS != nil)
			}
			if m.Subject != msg.Subject || m.Body != msg.Body {
				t.Errorf("subject, body = %q, %q\nwant %q, %q", m.Subject, m.Body, msg.Subject, msg.Body)
			}
			if ct := m.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") || !strings.Contains(strings.ToLower(ct), "utf-8") {
				t.Errorf("Content-Type = %q, want text/plain; charset=UTF-8", ct)
			}
			if m.Header.Get("From") != "<bursar@example.com>" || m.Header.Get("To") != "<ana@example.com>" {
				t.Errorf("From, To headers = %q, %q", m.Header.Get("From"), m.Header.Get("To"))
			}
		})
	}
}

func TestSMTPFailures(t *testing.T) {
	serverTLS, clientTLS := selfSigned(t)
	t.Run("wrong password", func(t *testing.T) {
		srv := mailtest.NewServer(t, mailtest.Options{TLS: serverTLS, User: "bursar", Password: "s3cret"})
		s, _ := NewSMTP(srv.URL("bursar", "guess"))
		s.tlsConfig = clientTLS
		if err := s.Send(context.Background(), msg); err == nil {
			t.Fatal("sent with a wrong password")
		}
		if n := len(srv.Messages()); n != 0 {
			t.Fatalf("server kept %d messages", n)
		}
	})
	t.Run("recipient refused", func(t *testing.T) {
		srv := mailtest.NewServer(t, mailtest.Options{})
		srv.Reject(msg.To, 1)
		s, _ := NewSMTP(srv.URL("", ""))
		if err := s.Send(context.Background(), msg); err == nil {
			t.Fatal("a refused recipient must be an error")
		}
		if err := s.Send(context.Background(), msg); err != nil {
			t.Fatalf("second try: %v", err)
		}
	})
	t.Run("nobody listening", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		s, _ := NewSMTP("smtp://" + addr)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Send(ctx, msg); err == nil {
			t.Fatal("sent to a closed port")
		}
	})
}

func TestNewSMTPParsesTheURL(t *testing.T) {
	cases := []struct {
		url      string
		host     string
		port     int
		implicit bool
		user     string
		pass     string
		bad      bool
	}{
		{url: "smtp://mail.example.com", host: "mail.example.com", port: 587},
		{url: "smtp://u%40x:p%3Aw@mail.example.com:2525", host: "mail.example.com", port: 2525, user: "u@x", pass: "p:w"},
		{url: "smtps://u:p@mail.example.com", host: "mail.example.com", port: 465, implicit: true, user: "u", pass: "p"},
		{url: "smtps://[::1]:10465", host: "::1", port: 10465, implicit: true},
		{url: "http://mail.example.com", bad: true},
		{url: "smtp://", bad: true},
		{url: "smtp://mail.example.com:0", bad: true},
		{url: "smtp://mail.example.com:99999", bad: true},
	}
	for _, tc := range cases {
		t.Run(tc.url, func(t *testing.T) {
			s, err := NewSMTP(tc.url)
			if tc.bad {
				if err == nil {
					t.Fatalf("NewSMTP(%q) accepted", tc.url)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.host != tc.host || s.port != tc.port || s.implicit != tc.implicit || s.user != tc.user || s.pass != tc.pass {
				t.Fatalf("got %s %d implicit=%v %q:%q, want %s %d implicit=%v %q:%q", s.host, s.port, s.implicit, s.user,
					s.pass, tc.host, tc.port, tc.implicit, tc.user, tc.pass)
			}
		})
	}
}

func TestWithoutSMTPURLMessagesAreLogged(t *testing.T) {
	var buf bytes.Buffer
	s, err := New("", slog.New(slog.NewTextHandler(&buf, nil)))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.Contains(out, "to=ana@example.com") || !strings.Contains(out, `subject="Your budgets summary"`) {
		t.Fatalf("log = %q, want recipient and subject", out)
	}
	if strings.Contains(out, "incomes") {
		t.Fatalf("log = %q: the body must not be logged", out)
	}
}
