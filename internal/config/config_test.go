package config

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(nil, env(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DatabaseURL != "bursar.db" || c.Timezone != time.UTC ||
		c.AccessTTL != time.Hour || c.RefreshTTL != 7*24*time.Hour || !c.RefreshRotation || c.MaxBody != 1<<20 ||
		c.Argon.MemoryKiB != 19456 || c.Argon.Time != 2 || c.Argon.Threads != 1 || c.Secret != "" ||
		c.SummaryAt != 21*time.Hour || c.MailFrom != "bursar@localhost" || c.SMTPURL != "" ||
		c.RateLimitMinute != 60 || c.RateLimitDay != 1000 || c.RateLimitAuthMinute != 10 || c.RateLimitAuthHour != 50 ||
		c.PprofAddr != "" {
		t.Fatalf("defaults = %+v", c)
	}
}

func TestEnvironmentAndFlags(t *testing.T) {
	c, err := Load([]string{"-addr", ":9999"}, env(map[string]string{
		"BURSAR_ADDR": ":7777", "BURSAR_TIMEZONE": "America/Recife", "BURSAR_REFRESH_ROTATION": "off",
		"DATABASE_URL": "postgres://x@h/db", "BURSAR_ACCESS_TTL": "120h",
	}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9999" || c.Timezone.String() != "America/Recife" || c.RefreshRotation || c.DatabaseURL != "postgres://x@h/db" || c.AccessTTL != 120*time.Hour {
		t.Fatalf("got %+v; flags must win over the environment", c)
	}
}

func TestInvalidSettingsNameTheVariable(t *testing.T) {
	cases := map[string]map[string]string{
		"BURSAR_TIMEZONE":          {"BURSAR_TIMEZONE": "Mars/Olympus"},
		"BURSAR_ACCESS_TTL":        {"BURSAR_ACCESS_TTL": "soon"},
		"BURSAR_REFRESH_TTL":       {"BURSAR_REFRESH_TTL": "-1h"},
		"BURSAR_SECRET":            {"BURSAR_SECRET": "short"},
		"BURSAR_LOG_FORMAT":        {"BURSAR_LOG_FORMAT": "xml"},
		"BURSAR_REFRESH_ROTATION":  {"BURSAR_REFRESH_ROTATION": "maybe"},
		"BURSAR_MAX_BODY":          {"BURSAR_MAX_BODY": "0"},
		"BURSAR_PUBLIC_URL":        {"BURSAR_PUBLIC_URL": "example.com"},
		"BURSAR_SMTP_URL":          {"BURSAR_SMTP_URL": "mail.example.com"},
		"BURSAR_MAIL_FROM":         {"BURSAR_MAIL_FROM": "not an address"},
		"BURSAR_SUMMARY_AT":        {"BURSAR_SUMMARY_AT": "25:00"},
		"REDIS_URL":                {"REDIS_URL": "localhost:6379"},
		"BURSAR_TRUSTED_PROXIES":   {"BURSAR_TRUSTED_PROXIES": "10.0.0.0/33"},
		"BURSAR_PPROF_ADDR":        {"BURSAR_PPROF_ADDR": "6060"},
		"BURSAR_RATE_LIMIT_MINUTE": {"BURSAR_RATE_LIMIT_MINUTE": "-1"},
		"BURSAR_ARGON2_MEMORY_KIB": {"BURSAR_ARGON2_THREADS": "4", "BURSAR_ARGON2_MEMORY_KIB": "8"},
	}
	for name, vars := range cases {
		_, err := Load(nil, env(vars), io.Discard)
		if err == nil || !strings.HasPrefix(err.Error(), name+":") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%v: error %v; want one line starting with %s:", vars, err, name)
		}
	}
}

func TestHelp(t *testing.T) {
	var out strings.Builder
	_, err := Load([]string{"--help"}, env(nil), &out)
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out.String(), "$BURSAR_TIMEZONE") {
		t.Fatalf("err %v, usage %q", err, out.String())
	}
}
