// Package mail sends Bursar's e-mail: through an SMTP server when BURSAR_SMTP_URL is set,
// otherwise to the log (recipient and subject only), so a server without SMTP still runs.
package mail

import (
	"context"
	"log/slog"
)

// Message is one plain-text (text/plain, UTF-8) e-mail to one recipient.
type Message struct {
	From    string
	To      string
	Subject string
	Body    string
}

// Sender delivers messages. Send returns nil once the message was handed over (the SMTP server
// accepted it); an error means it may not have been, and the caller may try again.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// New returns the Sender that smtpURL names: SMTP for an smtp:// or smtps:// URL (see NewSMTP),
// the log when smtpURL is "".
func New(smtpURL string, log *slog.Logger) (Sender, error) {
	if smtpURL == "" {
		return NewLog(log), nil
	}
	return NewSMTP(smtpURL)
}

// Log is a Sender that logs each message's recipient and subject instead of sending it.
type Log struct {
	log *slog.Logger
}

// NewLog returns a Log sender writing to log.
func NewLog(log *slog.Logger) *Log { return &Log{log: log} }

// Send logs m's recipient and subject; the body is not logged.
func (s *Log) Send(ctx context.Context, m Message) error {
	s.log.InfoContext(ctx, "e-mail not sent: BURSAR_SMTP_URL is not set", "to", m.To, "subject", m.Subject)
	return nil
}
