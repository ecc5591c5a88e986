package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// smtpTimeout bounds connecting and each SMTP command; the caller's context bounds the whole.
const smtpTimeout = 30 * time.Second

// SMTP is a Sender that delivers through an SMTP server, one connection per message.
type SMTP struct {
	host     string
	port     int
	implicit bool // smtps://: TLS from the first byte; else STARTTLS when the server offers it
	user     string
	pass     string
	// tlsConfig, when not nil, replaces the default (verify the server's certificate against
	// the system roots for host); tests use it to trust their own server.
	tlsConfig *tls.Config
}

// NewSMTP parses an SMTP URL:
//
//	smtp://[user:password@]host[:port]   STARTTLS when the server offers it; port 587 by default
//	smtps://[user:password@]host[:port]  implicit TLS; port 465 by default
//
// With a user, the client authenticates with the strongest mechanism both sides support; PLAIN
// and LOGIN are used only over TLS, so a password never crosses the network in the clear.
func NewSMTP(rawURL string) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("smtp url: malformed")
	}
	s := &SMTP{host: u.Hostname()}
	switch u.Scheme {
	case "smtp":
		s.port = 587
	case "smtps":
		s.port, s.implicit = 465, true
	default:
		return nil, fmt.Errorf("smtp url: scheme %q, want smtp or smtps", u.Scheme)
	}
	if s.host == "" {
		return nil, errors.New("smtp url: no host")
	}
	if p := u.Port(); p != "" {
		if s.port, err = strconv.Atoi(p); err != nil || s.port < 1 || s.port > 65535 {
			return nil, fmt.Errorf("smtp url: bad port %q", p)
		}
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	return s, nil
}

// Send delivers m. Once the server has accepted the message, an error closing the connection
// is ignored: the message is on its way, and reporting a failure would make the caller send
// it again.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(m.From); err != nil {
		return fmt.Errorf("e-mail sender %q: %w", m.From, err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("e-mail recipient: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)

	c, err := gomail.NewClient(s.host, s.options()...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	conn, err := c.DialToSMTPClientWithContext(ctx)
	if err != nil {
		return fmt.Errorf("smtp %s: %w", c.ServerAddr(), err)
	}
	if err := c.SendWithSMTPClient(conn, msg); err != nil {
		_ = c.CloseWithSMTPClient(conn)
		return fmt.Errorf("smtp %s: %w", c.ServerAddr(), err)
	}
	_ = c.CloseWithSMTPClient(conn)
	return nil
}

func (s *SMTP) options() []gomail.Option {
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(smtpTimeout)}
	if s.implicit {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if s.tlsConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(s.tlsConfig))
	}
	if s.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.user), gomail.WithPassword(s.pass))
	}
	return opts
}
