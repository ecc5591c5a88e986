// Package config reads Bursar's settings from BURSAR_* environment variables and matching flags
// (flags win) and validates them before anything starts.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the zone database travels with the binary (conventions S26)

	"github.com/bursar/bursar/internal/password"
)

// Config is every setting of the server.
type Config struct {
	Addr                string
	DatabaseURL         string
	Secret              string // "" → generated once and stored in the database (conventions S15)
	Timezone            *time.Location
	AccessTTL           time.Duration
	RefreshTTL          time.Duration
	RefreshRotation     bool
	LogFormat           string // "text" or "json"
	LogLevel            string
	PublicURL           string
	MaxBody             int64
	RequestTimeout      time.Duration
	ShutdownTimeout     time.Duration
	Argon               password.Params
	RateLimitMinute     int // per user or client address; 0 = off (conventions S31)
	RateLimitDay        int
	RateLimitAuthMinute int // sign-up and sign-in per client address
	RateLimitAuthHour   int
	SMTPURL             string        // smtp:// or smtps:// URL; "" → e-mails are logged, not sent
	MailFrom            string        // sender of e-mails
	SummaryAt           time.Duration // daily summary time of day in the server zone, since midnight
	RedisURL            string        // shared rate limits when set
	TrustedProxies      []netip.Prefix
	PprofAddr           string // "" → no profiling listener
}

// setting is one configurable value: its flag name, environment variable, default and help.
type setting struct {
	flag, env, def, help string
}

var settings = []setting{
	{"addr", "BURSAR_ADDR", "127.0.0.1:8080", "address to listen on"},
	{"database-url", "DATABASE_URL", "bursar.db", "SQLite file path or sqlite: URL, or a postgres:// URL"},
	{"secret", "BURSAR_SECRET", "", "token signing secret, at least 32 bytes (unset: generated once and kept in the database)"},
	{"timezone", "BURSAR_TIMEZONE", "UTC", "IANA time zone of the server"},
	{"access-ttl", "BURSAR_ACCESS_TTL", "1h", "access token lifetime"},
	{"refresh-ttl", "BURSAR_REFRESH_TTL", "168h", "refresh token lifetime"},
	{"refresh-rotation", "BURSAR_REFRESH_ROTATION", "on", "rotate refresh tokens with reuse detection (on/off)"},
	{"log-format", "BURSAR_LOG_FORMAT", "text", "log format: text or json"},
	{"log-level", "BURSAR_LOG_LEVEL", "info", "log level: debug, info, warn, error"},
	{"public-url", "BURSAR_PUBLIC_URL", "", "absolute base URL for pagination links (unset: http:// + the request's Host)"},
	{"max-body", "BURSAR_MAX_BODY", "1048576", "largest accepted request body in bytes"},
	{"request-timeout", "BURSAR_REQUEST_TIMEOUT", "30s", "deadline of each request"},
	{"shutdown-timeout", "BURSAR_SHUTDOWN_TIMEOUT", "20s", "how long shutdown waits for in-flight requests"},
	{"rate-limit-minute", "BURSAR_RATE_LIMIT_MINUTE", "60", "requests a minute per user (per client address when anonymous); 0 = off"},
	{"rate-limit-day", "BURSAR_RATE_LIMIT_DAY", "1000", "requests a day per user (per client address when anonymous); 0 = off"},
	{"rate-limit-auth-minute", "BURSAR_RATE_LIMIT_AUTH_MINUTE", "10", "sign-up and sign-in requests a minute per client address; 0 = off"},
	{"rate-limit-auth-hour", "BURSAR_RATE_LIMIT_AUTH_HOUR", "50", "sign-up and sign-in requests an hour per client address; 0 = off"},
	{"redis-url", "REDIS_URL", "", "redis:// URL: rate limits shared by every instance (unset: in memory)"},
	{"trusted-proxies", "BURSAR_TRUSTED_PROXIES", "", "comma-separated proxy addresses or CIDRs whose X-Forwarded-For is believed"},
	{"pprof-addr", "BURSAR_PPROF_ADDR", "", "address of a separate listener serving Go's profiles (/debug/pprof/) for performance work; keep it private (unset: off)"},
	{"smtp-url", "BURSAR_SMTP_URL", "", "smtp://user:pass@host:587 (STARTTLS) or smtps://…:465 for e-mail; unset: e-mails are logged, not sent"},
	{"mail-from", "BURSAR_MAIL_FROM", "bursar@localhost", "sender address of e-mails"},
	{"summary-at", "BURSAR_SUMMARY_AT", "21:00", "local time (server zone) of the daily budgets summary e-mail, HH:MM"},
	{"argon2-memory-kib", "BURSAR_ARGON2_MEMORY_KIB", "19456", "Argon2id memory in KiB"},
	{"argon2-time", "BURSAR_ARGON2_TIME", "2", "Argon2id passes"},
	{"argon2-threads", "BURSAR_ARGON2_THREADS", "1", "Argon2id threads"},
}

// Load parses args (without the program and subcommand names) over the environment. The error
// is one line naming the bad setting; flag.ErrHelp when -h was asked.
func Load(args []string, getenv func(string) string, usage io.Writer) (*Config, error) {
	fs := flag.NewFlagSet("bursar", flag.ContinueOnError)
	fs.SetOutput(usage)
	vals := map[string]*string{}
	for _, s := range settings {
		def := s.def
		if v := getenv(s.env); v != "" {
			def = v
		}
		vals[s.flag] = fs.String(s.flag, def, s.help+" ($"+s.env+")")
	}
	fs.Usage = func() {
		fmt.Fprintf(usage, "Usage: bursar [serve|worker|migrate|bench|version] [flags]\n\nEvery flag can also be set by the environment variable shown.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	get := func(name string) string { return strings.TrimSpace(*vals[name]) }
	c := &Config{
		Addr: get("addr"), DatabaseURL: get("database-url"), Secret: *vals["secret"],
		LogFormat: get("log-format"), LogLevel: get("log-level"), PublicURL: strings.TrimRight(get("public-url"), "/"),
	}
	var errs []error
	bad := func(name string, err error) { errs = append(errs, fmt.Errorf("%s: %w", envOf(name), err)) }
	dur := func(name string) time.Duration {
		d, err := time.ParseDuration(get(name))
		if err == nil && d <= 0 {
			err = errors.New("must be positive")
		}
		if err != nil {
			bad(name, err)
		}
		return d
	}
	num := func(name string, bits int) uint64 {
		n, err := strconv.ParseUint(get(name), 10, bits)
		if err == nil && n == 0 {
			err = errors.New("must be positive")
		}
		if err != nil {
			bad(name, errors.New("must be a positive integer"))
		}
		return n
	}
	count := func(name string) int {
		n, err := strconv.ParseUint(get(name), 10, 31)
		if err != nil {
			bad(name, errors.New("must be a whole number (0 turns it off)"))
		}
		return int(n)
	}
	c.RateLimitMinute, c.RateLimitDay = count("rate-limit-minute"), count("rate-limit-day")
	c.RateLimitAuthMinute, c.RateLimitAuthHour = count("rate-limit-auth-minute"), count("rate-limit-auth-hour")
	c.SMTPURL, c.MailFrom = get("smtp-url"), get("mail-from")
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			bad("smtp-url", errors.New("must be an smtp:// or smtps:// URL with a host"))
		}
	}
	if _, err := mail.ParseAddress(c.MailFrom); err != nil {
		bad("mail-from", errors.New("must be an e-mail address"))
	}
	if at, err := time.Parse("15:04", get("summary-at")); err != nil {
		bad("summary-at", errors.New("must be a time of day as HH:MM"))
	} else {
		c.SummaryAt = time.Duration(at.Hour())*time.Hour + time.Duration(at.Minute())*time.Minute
	}
	c.PprofAddr = get("pprof-addr")
	if c.PprofAddr != "" {
		if _, _, err := net.SplitHostPort(c.PprofAddr); err != nil {
			bad("pprof-addr", errors.New("must be host:port"))
		}
	}
	c.RedisURL = get("redis-url")
	if c.RedisURL != "" && !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://") {
		bad("redis-url", errors.New("must be a redis:// or rediss:// URL"))
	}
	for _, p := range strings.Split(get("trusted-proxies"), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			if a, err := netip.ParseAddr(p); err == nil {
				p = netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()).String()
			}
		}
		pre, err := netip.ParsePrefix(p)
		if err != nil {
			bad("trusted-proxies", fmt.Errorf("%q is not an address or CIDR", p))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, pre.Masked())
	}
	c.AccessTTL, c.RefreshTTL = dur("access-ttl"), dur("refresh-ttl")
	c.RequestTimeout, c.ShutdownTimeout = dur("request-timeout"), dur("shutdown-timeout")
	c.MaxBody = int64(num("max-body", 40))
	c.Argon = password.Params{MemoryKiB: uint32(num("argon2-memory-kib", 32)), Time: uint32(num("argon2-time", 32)), Threads: uint8(num("argon2-threads", 8))}
	if len(errs) == 0 {
		if err := c.Argon.Check(); err != nil {
			bad("argon2-memory-kib", err)
		}
	}
	if loc, err := time.LoadLocation(get("timezone")); err != nil || get("timezone") == "" || get("timezone") == "Local" {
		bad("timezone", fmt.Errorf("unknown time zone %q", get("timezone")))
	} else {
		c.Timezone = loc
	}
	switch strings.ToLower(get("refresh-rotation")) {
	case "on", "true", "1", "yes":
		c.RefreshRotation = true
	case "off", "false", "0", "no":
	default:
		bad("refresh-rotation", errors.New("must be on or off"))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		bad("log-format", errors.New("must be text or json"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("log-level", errors.New("must be debug, info, warn or error"))
	}
	if c.Secret != "" && len(c.Secret) < 32 {
		bad("secret", errors.New("must be at least 32 bytes"))
	}
	if c.DatabaseURL == "" {
		bad("database-url", errors.New("must not be empty"))
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			bad("public-url", errors.New("must be an absolute http(s) URL"))
		}
	}
	if c.Addr == "" {
		bad("addr", errors.New("must not be empty"))
	}
	if len(errs) > 0 {
		return nil, errs[0]
	}
	return c, nil
}

func envOf(flagName string) string {
	for _, s := range settings {
		if s.flag == flagName {
			return s.env
		}
	}
	return flagName
}
