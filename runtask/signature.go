package runtask

import (
	"crypto/hmac"
	"crypto/sha512"
	"encoding/hex"
	"net/http"
	"strings"
)

// SignatureHeader carries the hex HMAC-SHA512 of the raw body, keyed with
// the task's HMAC key; HCP Terraform leaves it empty when the task has none.
const SignatureHeader = "X-TFC-Task-Signature"

// SignatureError is a request whose signature does not fit the server's
// key; Status is the answer it gets.
type SignatureError struct {
	Status int
	Reason string
}

func (e *SignatureError) Error() string { return e.Reason }

// Verify checks a request's signature on the raw body, in constant time,
// before anything decodes it. With a key, a missing or wrong signature is
// 401; without one, a signed request is 400: the task and the server
// disagree on whether there is a key, which is a setup error to fix, not a
// request to run unchecked.
func Verify(key, body []byte, signature string) error {
	signature = strings.TrimSpace(signature)
	switch {
	case len(key) == 0 && signature == "":
		return nil
	case len(key) == 0:
		return &SignatureError{Status: http.StatusBadRequest, Reason: "the request is signed but lockstep serve has no HMAC key: set LOCKSTEP_HMAC_KEY (or --hmac-key-file) to the run task's key, or remove the key from the task"}
	case signature == "":
		return &SignatureError{Status: http.StatusUnauthorized, Reason: "the request is not signed but lockstep serve has an HMAC key: set the same key on the run task"}
	}
	got, err := hex.DecodeString(signature)
	if err != nil {
		return &SignatureError{Status: http.StatusUnauthorized, Reason: "the signature is not hex"}
	}
	if !hmac.Equal(got, Sign(key, body)) {
		return &SignatureError{Status: http.StatusUnauthorized, Reason: "the signature does not match the body: the run task's HMAC key differs from lockstep serve's"}
	}
	return nil
}

// Sign is the HMAC-SHA512 of body under key, as HCP Terraform computes it.
func Sign(key, body []byte) []byte {
	m := hmac.New(sha512.New, key)
	m.Write(body)
	return m.Sum(nil)
}
