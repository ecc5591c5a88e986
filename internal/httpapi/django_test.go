package httpapi

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"testing"
)

// djangoHash computes the hash part of a Django pbkdf2_sha256 string.
func djangoHash(t *testing.T, pw, salt string, iter int) string {
	t.Helper()
	k, err := pbkdf2.Key(sha256.New, pw, []byte(salt), iter, 32)
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(k)
}
