// Package password hashes and verifies passwords (Argon2id, plus Django pbkdf2_sha256 for
// imported users) and applies the password policy of conventions S12.
package password

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// Params are Argon2id cost parameters (conventions S13).
type Params struct {
	MemoryKiB uint32
	Time      uint32
	Threads   uint8
}

// Default is 19456 KiB, 2 passes, 1 thread: the OWASP minimum for Argon2id.
var Default = Params{MemoryKiB: 19456, Time: 2, Threads: 1}

// Unusable is a stored value that never verifies (a login that has no password yet).
// Django marks unusable passwords the same way, with a leading "!".
const Unusable = "!"

// ErrMalformed is returned by Verify when a stored hash cannot be read.
var ErrMalformed = errors.New("password: malformed hash")

const (
	saltLen = 16
	keyLen  = 32

	// Bounds on parameters read from stored hashes: a corrupted row must not make a sign-in
	// allocate unbounded memory or spin for hours. 2 GiB is RFC 9106's first recommended option.
	maxMemoryKiB  = 2 << 20
	maxTime       = 1 << 10
	maxIterations = 100_000_000 // ~80 times Django 6's pbkdf2_sha256 default

	argon2Prefix = "$argon2id$"
	pbkdf2Prefix = "pbkdf2_sha256$"
)

// Check reports parameters Argon2id cannot run with or that exceed the bounds above.
func (p Params) Check() error {
	switch {
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("argon2 time %d outside 1..%d", p.Time, maxTime)
	case p.Threads < 1:
		return errors.New("argon2 threads must be at least 1")
	case p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxMemoryKiB:
		return fmt.Errorf("argon2 memory %d KiB outside %d..%d", p.MemoryKiB, 8*uint32(p.Threads), maxMemoryKiB)
	}
	return nil
}

// hashing bounds how many Argon2id hashes run at once. Each holds MemoryKiB of memory (19 MiB
// by default) for its duration, and the CPU is the limit anyway: with the bound, a burst of 16
// sign-ins keeps the server's memory near GOMAXPROCS hashes instead of 16 (issue 6: RSS under
// load), and the others wait their turn instead of thrashing the cores. A waiter gives up when
// its context ends (the client went away): it neither hashes nor keeps its place in the queue.
var hashing = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))

// active and peak count hashes in progress, for the test of the bound.
var active, peak atomic.Int32

// idKey runs one Argon2id derivation within the bound, or returns ctx's error when ctx ends
// before a slot is free; then it collects the derivation's memory. That block (MemoryKiB) is
// garbage once the key is out, and left to the next collection, a burst of sign-ins doubled the
// heap with such blocks: 16 clients signing in took the server's RSS to 122–148 MiB, near the
// 150 MiB bound of issue 6, and past it (158 MiB) after a scan-heavy load. Collected at once,
// in the caller: 104–126 MiB, for 15–35% fewer sign-ins a second (the hash is bound by design;
// the memory bound is a target). Collected in the background instead, the next hash's block was
// already allocated and the RSS did not fall.
func idKey(ctx context.Context, pw, salt []byte, p Params, n uint32) ([]byte, error) {
	key, err := boundedIDKey(ctx, pw, salt, p, n)
	if err == nil {
		runtime.GC()
	}
	return key, err
}

func boundedIDKey(ctx context.Context, pw, salt []byte, p Params, n uint32) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("password: %w", err)
	}
	select {
	case hashing <- struct{}{}:
	case <-ctx.Done():
		return nil, fmt.Errorf("password: %w", ctx.Err())
	}
	defer func() { <-hashing }()
	a := active.Add(1)
	for m := peak.Load(); a > m && !peak.CompareAndSwap(m, a); m = peak.Load() {
	}
	defer active.Add(-1)
	return argon2.IDKey(pw, salt, p.Time, p.MemoryKiB, p.Threads, n), nil
}

// IsCanceled reports whether err is the context error HashContext or VerifyContext return
// when their context ends while they wait for a free hashing slot.
func IsCanceled(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// Hash returns a PHC string "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>" (unpadded standard
// base64) with a 16-byte random salt and a 32-byte key. It fails only for invalid parameters.
func Hash(pw string, p Params) (string, error) { return HashContext(context.Background(), pw, p) }

// HashContext is Hash, waiting for a free hashing slot (at most GOMAXPROCS hashes run at once)
// only as long as ctx lasts: it fails with ctx's error (IsCanceled) when ctx ends first.
func HashContext(ctx context.Context, pw string, p Params) (string, error) {
	if err := p.Check(); err != nil {
		return "", fmt.Errorf("password: %w", err)
	}
	salt := make([]byte, saltLen)
	rand.Read(salt) // never fails (crypto/rand since Go 1.24)
	key, err := idKey(ctx, []byte(pw), salt, p, keyLen)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%sv=%d$m=%d,t=%d,p=%d$%s$%s", argon2Prefix, argon2.Version,
		p.MemoryKiB, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// Verify checks pw against an encoded hash: an Argon2id PHC string with any parameters, or a
// Django "pbkdf2_sha256$<iterations>$<salt>$<base64 hash>". It answers ok=false without an error
// for a wrong or empty password and for an empty or unusable ("!…") stored value. rehash is true
// when ok and the stored hash is not what Hash(pw, want) would produce (another algorithm, other
// parameters, salt or key length). err is non-nil (wrapping ErrMalformed) only when the stored
// hash cannot be read.
func Verify(encoded, pw string, want Params) (ok, rehash bool, err error) {
	return VerifyContext(context.Background(), encoded, pw, want)
}

// VerifyContext is Verify, waiting for a free hashing slot only as long as ctx lasts: when ctx
// ends first it answers ok=false with ctx's error (IsCanceled), not ErrMalformed.
func VerifyContext(ctx context.Context, encoded, pw string, want Params) (ok, rehash bool, err error) {
	if encoded == "" || strings.HasPrefix(encoded, Unusable) {
		return false, false, nil
	}
	switch {
	case strings.HasPrefix(encoded, argon2Prefix):
		h, err := parseArgon2(encoded)
		if err != nil || pw == "" {
			return false, false, err
		}
		got, err := idKey(ctx, []byte(pw), h.salt, h.p, uint32(len(h.key)))
		if err != nil {
			return false, false, err
		}
		if subtle.ConstantTimeCompare(got, h.key) != 1 {
			return false, false, nil
		}
		return true, h.p != want || len(h.salt) != saltLen || len(h.key) != keyLen, nil
	case strings.HasPrefix(encoded, pbkdf2Prefix):
		h, err := parsePBKDF2(encoded)
		if err != nil || pw == "" {
			return false, false, err
		}
		got, err := pbkdf2.Key(sha256.New, pw, []byte(h.salt), h.iterations, len(h.key))
		if err != nil {
			return false, false, fmt.Errorf("password: pbkdf2: %w", err)
		}
		if subtle.ConstantTimeCompare(got, h.key) != 1 {
			return false, false, nil
		}
		return true, true, nil
	}
	alg, _, _ := strings.Cut(strings.TrimPrefix(encoded, "$"), "$")
	return false, false, fmt.Errorf("%w: unknown algorithm %q", ErrMalformed, alg)
}

type argon2Hash struct {
	p         Params
	salt, key []byte
}

// parseArgon2 reads "$argon2id$v=19$m=<kib>,t=<passes>,p=<threads>$<salt>$<key>".
func parseArgon2(encoded string) (argon2Hash, error) {
	var h argon2Hash
	parts := strings.Split(strings.TrimPrefix(encoded, argon2Prefix), "$")
	if len(parts) != 4 {
		return h, fmt.Errorf("%w: argon2id: want 4 fields after the algorithm, got %d", ErrMalformed, len(parts))
	}
	if parts[0] != "v="+strconv.Itoa(argon2.Version) {
		return h, fmt.Errorf("%w: argon2id: unsupported version %q", ErrMalformed, parts[0])
	}
	costs := strings.Split(parts[1], ",")
	if len(costs) != 3 {
		return h, fmt.Errorf("%w: argon2id: parameters %q", ErrMalformed, parts[1])
	}
	m, errM := uintField(costs[0], "m=", 32)
	t, errT := uintField(costs[1], "t=", 32)
	p, errP := uintField(costs[2], "p=", 8)
	if err := errors.Join(errM, errT, errP); err != nil {
		return h, fmt.Errorf("%w: argon2id: %w", ErrMalformed, err)
	}
	h.p = Params{MemoryKiB: uint32(m), Time: uint32(t), Threads: uint8(p)}
	if err := h.p.Check(); err != nil {
		return h, fmt.Errorf("%w: argon2id: %w", ErrMalformed, err)
	}
	var errS, errK error
	h.salt, errS = base64.RawStdEncoding.DecodeString(parts[2])
	h.key, errK = base64.RawStdEncoding.DecodeString(parts[3])
	switch {
	case errS != nil || len(h.salt) < 8:
		return h, fmt.Errorf("%w: argon2id: salt must be unpadded base64 of at least 8 bytes", ErrMalformed)
	case errK != nil || len(h.key) < 4 || len(h.key) > 1024:
		return h, fmt.Errorf("%w: argon2id: key must be unpadded base64 of 4 to 1024 bytes", ErrMalformed)
	}
	return h, nil
}

func uintField(s, prefix string, bits int) (uint64, error) {
	v, ok := strings.CutPrefix(s, prefix)
	if !ok {
		return 0, fmt.Errorf("want %s…, got %q", prefix, s)
	}
	n, err := strconv.ParseUint(v, 10, bits)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", prefix, err)
	}
	return n, nil
}

type pbkdf2Hash struct {
	iterations int
	salt       string
	key        []byte
}

// parsePBKDF2 reads Django's "pbkdf2_sha256$<iterations>$<salt>$<base64 key>"; like Django, the
// salt is used as text and ends at the next "$".
func parsePBKDF2(encoded string) (pbkdf2Hash, error) {
	var h pbkdf2Hash
	parts := strings.SplitN(strings.TrimPrefix(encoded, pbkdf2Prefix), "$", 3)
	if len(parts) != 3 {
		return h, fmt.Errorf("%w: pbkdf2_sha256: want 3 fields after the algorithm, got %d", ErrMalformed, len(parts))
	}
	n, err := strconv.Atoi(parts[0])
	if err != nil || n < 1 || n > maxIterations {
		return h, fmt.Errorf("%w: pbkdf2_sha256: iterations %q outside 1..%d", ErrMalformed, parts[0], maxIterations)
	}
	if parts[1] == "" {
		return h, fmt.Errorf("%w: pbkdf2_sha256: empty salt", ErrMalformed)
	}
	key, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(key) != sha256.Size {
		return h, fmt.Errorf("%w: pbkdf2_sha256: hash must be padded base64 of %d bytes", ErrMalformed, sha256.Size)
	}
	return pbkdf2Hash{iterations: n, salt: parts[1], key: key}, nil
}
