package password

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// fast keeps Argon2id cheap in tests; Default is exercised by the benchmarks.
var fast = Params{MemoryKiB: 64, Time: 1, Threads: 1}

// djangoPW is "pw" hashed by Django's PBKDF2PasswordHasher with salt "salt" and 260000
// iterations, i.e. base64(hashlib.pbkdf2_hmac('sha256', b'pw', b'salt', 260000)).
const djangoPW = "pbkdf2_sha256$260000$salt$rDObzfOCKxYfuEfNvs2mDRx8EWJCqi9HTfKRwl6579w="

// djangoUnicode is "pässwörd-1" (UTF-8) with salt "Zz9salt" and 1000 iterations.
const djangoUnicode = "pbkdf2_sha256$1000$Zz9salt$YyAx0Qmegj0LYnqYR4qnk9uOrafG8JiH31lcjSKaT3I="

// refArgon2 and refArgon2p2 are "password" with salt "somesalt", from the test vectors of the
// Argon2 reference implementation (phc-winner-argon2, src/test.c).
const (
	refArgon2   = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
	refArgon2p2 = "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc"
)

func mustHash(t testing.TB, pw string, p Params) string {
	t.Helper()
	h, err := Hash(pw, p)
	if err != nil {
		t.Fatalf("Hash(%q, %+v): %v", pw, p, err)
	}
	return h
}

func TestHashFormat(t *testing.T) {
	h := mustHash(t, "correct horse", Default)
	const prefix = "$argon2id$v=19$m=19456,t=2,p=1$"
	if !strings.HasPrefix(h, prefix) {
		t.Fatalf("Hash = %q, want prefix %q", h, prefix)
	}
	salt, key, _ := strings.Cut(strings.TrimPrefix(h, prefix), "$")
	if len(salt) != 22 || len(key) != 43 { // unpadded base64 of 16 and 32 bytes
		t.Errorf("salt %q (%d chars), key %q (%d chars); want 22 and 43 chars", salt, len(salt), key, len(key))
	}
	if again := mustHash(t, "correct horse", Default); again == h {
		t.Errorf("two hashes of the same password are equal (%q): salt not random", h)
	}
}

func TestHashInvalidParams(t *testing.T) {
	for _, p := range []Params{
		{MemoryKiB: 64, Time: 0, Threads: 1},
		{MemoryKiB: 64, Time: 1, Threads: 0},
		{MemoryKiB: 7, Time: 1, Threads: 1},
		{MemoryKiB: 8*4 - 1, Time: 1, Threads: 4},
		{MemoryKiB: maxMemoryKiB + 1, Time: 1, Threads: 1},
		{MemoryKiB: 64, Time: maxTime + 1, Threads: 1},
	} {
		if h, err := Hash("pw", p); err == nil {
			t.Errorf("Hash(pw, %+v) = %q, nil; want an error", p, h)
		}
	}
}

func TestVerify(t *testing.T) {
	other := Params{MemoryKiB: 128, Time: 1, Threads: 1}
	tests := []struct {
		name       string
		encoded    string
		pw         string
		want       Params
		ok, rehash bool
	}{
		{"argon2id round trip", mustHash(t, "s3cret pass", fast), "s3cret pass", fast, true, false},
		{"argon2id unicode", mustHash(t, "pässwörd ✓", fast), "pässwörd ✓", fast, true, false},
		{"argon2id wrong password", mustHash(t, "s3cret pass", fast), "s3cret pasS", fast, false, false},
		{"argon2id password not trimmed", mustHash(t, "s3cret pass", fast), "s3cret pass ", fast, false, false},
		{"argon2id empty password", mustHash(t, "", fast), "", fast, false, false},
		{"argon2id other memory", mustHash(t, "pw", other), "pw", fast, true, true},
		{"argon2id other time", mustHash(t, "pw", Params{MemoryKiB: 64, Time: 2, Threads: 1}), "pw", fast, true, true},
		{"argon2id other threads", mustHash(t, "pw", Params{MemoryKiB: 64, Time: 1, Threads: 2}), "pw", fast, true, true},
		{"argon2id other params, wrong password", mustHash(t, "pw", other), "pW", fast, false, false},
		{"argon2 reference vector", refArgon2, "password", fast, true, true},
		{"argon2 reference vector, 2 lanes", refArgon2p2, "password", fast, true, true},
		{"argon2 reference vector, same params", refArgon2, "password", Params{MemoryKiB: 256, Time: 2, Threads: 1}, true, true}, // 8-byte salt
		{"argon2 reference vector, wrong password", refArgon2, "passwore", fast, false, false},
		{"django pbkdf2", djangoPW, "pw", fast, true, true},
		{"django pbkdf2 wrong password", djangoPW, "pw2", fast, false, false},
		{"django pbkdf2 empty password", djangoPW, "", fast, false, false},
		{"django pbkdf2 unicode", djangoUnicode, "pässwörd-1", fast, true, true},
		{"django pbkdf2 unicode wrong", djangoUnicode, "passwörd-1", fast, false, false},
		{"unusable", Unusable, "pw", fast, false, false},
		{"django unusable", "!Xn3kTL0aA9cVb2mP7qR1sT4uW6yZ8dE0fG2hJ4k", "pw", fast, false, false},
		{"unusable even for its own text", "!pw", "!pw", fast, false, false},
		{"empty stored value", "", "pw", fast, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ok, rehash, err := Verify(tc.encoded, tc.pw, tc.want)
			if err != nil || ok != tc.ok || rehash != tc.rehash {
				t.Errorf("Verify(%q, %q) = %v, %v, %v; want %v, %v, nil", tc.encoded, tc.pw, ok, rehash, err, tc.ok, tc.rehash)
			}
		})
	}
}

func TestVerifyMalformed(t *testing.T) {
	const salt, key = "c29tZXNhbHRzYWx0c2FsdA", "qx1uKBvF5S+mO1KlYmAKVQqx1uKBvF5S+mO1KlYmAKV"
	tests := []struct{ name, encoded string }{
		{"unknown algorithm", "bcrypt$$2b$12$abcdefghijklmnopqrstuu"},
		{"argon2i", "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + key},
		{"django argon2 wrapper", "argon2$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key},
		{"plain text", "hunter22"},
		{"argon2 missing fields", "$argon2id$v=19$m=64,t=1,p=1$" + salt},
		{"argon2 extra field", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + key + "$x"},
		{"argon2 old version", "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + key},
		{"argon2 no version", "$argon2id$m=64,t=1,p=1$" + salt + "$" + key},
		{"argon2 params order", "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + key},
		{"argon2 params missing", "$argon2id$v=19$m=64,t=1$" + salt + "$" + key},
		{"argon2 params not numbers", "$argon2id$v=19$m=x,t=1,p=1$" + salt + "$" + key},
		{"argon2 negative", "$argon2id$v=19$m=-64,t=1,p=1$" + salt + "$" + key},
		{"argon2 zero time", "$argon2id$v=19$m=64,t=0,p=1$" + salt + "$" + key},
		{"argon2 zero threads", "$argon2id$v=19$m=64,t=1,p=0$" + salt + "$" + key},
		{"argon2 threads overflow", "$argon2id$v=19$m=64,t=1,p=256$" + salt + "$" + key},
		{"argon2 memory too small", "$argon2id$v=19$m=7,t=1,p=1$" + salt + "$" + key},
		{"argon2 memory huge", "$argon2id$v=19$m=4294967295,t=1,p=1$" + salt + "$" + key},
		{"argon2 memory overflow", "$argon2id$v=19$m=4294967296,t=1,p=1$" + salt + "$" + key},
		{"argon2 time huge", "$argon2id$v=19$m=64,t=4294967295,p=1$" + salt + "$" + key},
		{"argon2 salt not base64", "$argon2id$v=19$m=64,t=1,p=1$!!!!$" + key},
		{"argon2 salt padded", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "==$" + key},
		{"argon2 salt too short", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$" + key},
		{"argon2 empty key", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$"},
		{"argon2 key not base64", "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$k€y"},
		{"pbkdf2 missing hash", "pbkdf2_sha256$260000$salt"},
		{"pbkdf2 iterations not a number", "pbkdf2_sha256$many$salt$rDObzfOCKxYfuEfNvs2mDRx8EWJCqi9HTfKRwl6579w="},
		{"pbkdf2 zero iterations", "pbkdf2_sha256$0$salt$rDObzfOCKxYfuEfNvs2mDRx8EWJCqi9HTfKRwl6579w="},
		{"pbkdf2 iterations huge", "pbkdf2_sha256$1000000000$salt$rDObzfOCKxYfuEfNvs2mDRx8EWJCqi9HTfKRwl6579w="},
		{"pbkdf2 empty salt", "pbkdf2_sha256$260000$$rDObzfOCKxYfuEfNvs2mDRx8EWJCqi9HTfKRwl6579w="},
		{"pbkdf2 hash not base64", "pbkdf2_sha256$260000$salt$not base64"},
		{"pbkdf2 hash unpadded", "pbkdf2_sha256$260000$salt$rDObzfOCKxYfuEfNvs2mDRx8EWJCqi9HTfKRwl6579w"},
		{"pbkdf2 hash too short", "pbkdf2_sha256$260000$salt$rDObzfOCKxYfuEfNvs2mDQ=="},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ok, rehash, err := Verify(tc.encoded, "pw", fast)
			if !errors.Is(err, ErrMalformed) || ok || rehash {
				t.Errorf("Verify(%q) = %v, %v, %v; want false, false, ErrMalformed", tc.encoded, ok, rehash, err)
			}
		})
	}
}

// FuzzVerify checks that no stored value makes Verify panic (Argon2 panics on zero passes or
// threads) and that its answers are consistent. Costly parameters are skipped to keep it fast.
func FuzzVerify(f *testing.F) {
	for _, s := range []string{refArgon2, refArgon2p2, djangoUnicode, Unusable, "",
		"$argon2id$v=19$m=8,t=1,p=1$c29tZXNhbHQ$nf65EOgLrQMR", "$argon2id$v=19$m=64,t=0,p=0$c29tZXNhbHQ$AAAA",
		"pbkdf2_sha256$1$s$rDObzfOCKxYfuEfNvs2mDRx8EWJCqi9HTfKRwl6579w="} {
		f.Add(s, "password")
	}
	f.Fuzz(func(t *testing.T, encoded, pw string) {
		if h, err := parseArgon2(encoded); strings.HasPrefix(encoded, argon2Prefix) && err == nil &&
			(h.p.MemoryKiB > 1024 || h.p.Time > 4 || h.p.Threads > 4) {
			return
		}
		if h, err := parsePBKDF2(encoded); strings.HasPrefix(encoded, pbkdf2Prefix) && err == nil && h.iterations > 10000 {
			return
		}
		ok, rehash, err := Verify(encoded, pw, fast)
		if (err != nil && !errors.Is(err, ErrMalformed)) || (err != nil && ok) || (rehash && !ok) {
			t.Fatalf("Verify(%q, %q) = %v, %v, %v", encoded, pw, ok, rehash, err)
		}
	})
}

func BenchmarkHashDefault(b *testing.B) {
	for b.Loop() {
		if _, err := Hash("correct horse battery staple", Default); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyDefault(b *testing.B) {
	h := mustHash(b, "correct horse battery staple", Default)
	for b.Loop() {
		if ok, _, err := Verify(h, "correct horse battery staple", Default); !ok || err != nil {
			b.Fatalf("Verify = %v, %v; want true, nil", ok, err)
		}
	}
}

// TestConcurrentHashesAreBounded: however many requests hash at once, at most GOMAXPROCS
// Argon2id derivations (each holding its memory cost) run together.
func TestConcurrentHashesAreBounded(t *testing.T) {
	p := Params{MemoryKiB: 4096, Time: 1, Threads: 1}
	h, err := Hash("Plenty-of-42-entropy", p)
	if err != nil {
		t.Fatal(err)
	}
	peak.Store(0)
	var wg sync.WaitGroup
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if i%2 == 0 {
				_, _ = Hash("Plenty-of-42-entropy", p)
			} else if ok, _, _ := Verify(h, "Plenty-of-42-entropy", p); !ok {
				t.Error("verify failed")
			}
		}()
	}
	wg.Wait()
	if got, bound := peak.Load(), int32(max(1, runtime.GOMAXPROCS(0))); got > bound || got < 1 {
		t.Fatalf("peak of %d hashes at once, bound %d", got, bound)
	}
}

// TestWaitingHashGivesUpWithItsContext: with every hashing slot taken, a hash or verification
// whose context ends while it waits returns the context's error without deriving anything, and
// one that waits with a live context runs once a slot frees.
func TestWaitingHashGivesUpWithItsContext(t *testing.T) {
	p := Params{MemoryKiB: 64, Time: 1, Threads: 1}
	h := mustHash(t, "Plenty-of-42-entropy", p)
	for range cap(hashing) { // take every slot, as long hashes would
		hashing <- struct{}{}
	}
	freed := false
	free := func() {
		if !freed {
			freed = true
			for range cap(hashing) {
				<-hashing
			}
		}
	}
	defer free()
	before := peak.Load()
	active.Store(0)

	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := HashContext(cancelled, "Plenty-of-42-entropy", p); !errors.Is(err, context.Canceled) || !IsCanceled(err) {
		t.Errorf("HashContext(cancelled) = %v; want context.Canceled", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		ok, _, err := VerifyContext(ctx, h, "Plenty-of-42-entropy", p)
		if ok {
			err = errors.New("verified without a free slot")
		}
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("VerifyContext returned %v while every slot was taken; want it to wait", err)
	case <-time.After(50 * time.Millisecond):
	}
	cancel() // the client goes away while waiting
	select {
	case err := <-done:
		if !IsCanceled(err) || errors.Is(err, ErrMalformed) {
			t.Errorf("VerifyContext after cancel = %v; want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("VerifyContext still waiting 5 s after its context was cancelled")
	}
	if a := active.Load(); a != 0 {
		t.Errorf("%d derivations ran while every slot was taken", a)
	}
	if peak.Load() != before {
		t.Errorf("peak moved from %d to %d: a derivation ran while every slot was taken", before, peak.Load())
	}

	// A waiter with a live context proceeds once the slots free.
	go func() {
		ok, _, err := VerifyContext(context.Background(), h, "Plenty-of-42-entropy", p)
		if err == nil && !ok {
			err = errors.New("wrong password?")
		}
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	free()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("VerifyContext after the slots freed: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("VerifyContext still waiting 5 s after the slots freed")
	}
}

// TestHashCollectsItsMemory: a hash's Argon2id block (MemoryKiB) does not outlive the call, so
// that a burst of sign-ins does not pile such blocks up in the heap until the next collection
// (issue 6: the server's RSS under sign-in load).
func TestHashCollectsItsMemory(t *testing.T) {
	p := Params{MemoryKiB: 16 * 1024, Time: 1, Threads: 1}
	mustHash(t, "warm", p)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	mustHash(t, "Plenty-of-42-entropy", p)
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 4<<20 {
		t.Fatalf("the heap holds %d MiB more after a hash of 16 MiB: its block is left for a later collection", grown>>20)
	}
}
