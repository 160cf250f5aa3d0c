package stix

import (
	"strconv"
	"strings"
)

// HashAlgorithm names a hash algorithm as the STIX hash-algorithm-ov
// vocabulary spells it; it is the key in a file's hashes dictionary.
type HashAlgorithm string

// The hash algorithms of file observables, in the order of preference of
// identifier computation.
const (
	MD5    HashAlgorithm = "MD5"
	SHA1   HashAlgorithm = "SHA-1"
	SHA256 HashAlgorithm = "SHA-256"
	SHA512 HashAlgorithm = "SHA-512"
)

// hashAlgorithms is the canonical order of hashes: the identifier
// preference order of spec section 2.9.
var hashAlgorithms = [...]HashAlgorithm{MD5, SHA1, SHA256, SHA512}

// HexLen is the length in hex digits of a hash of the algorithm, 0 when the
// algorithm is not one of this package's.
func (a HashAlgorithm) HexLen() int {
	switch a {
	case MD5:
		return 32
	case SHA1:
		return 40
	case SHA256:
		return 64
	case SHA512:
		return 128
	}
	return 0
}

// path is the canonical object path of the algorithm in a file pattern.
func (a HashAlgorithm) path() string {
	switch a {
	case MD5:
		return "hashes.MD5"
	case SHA1:
		return "hashes.'SHA-1'"
	case SHA256:
		return "hashes.'SHA-256'"
	case SHA512:
		return "hashes.'SHA-512'"
	}
	return "hashes." + quotePathStep(string(a))
}

// ParseHashAlgorithm accepts the spec names and the common spellings,
// case-insensitively: "md5", "SHA1", "sha-1", "sha_256", "SHA512", … It
// rejects the algorithms this package does not model (SHA3-256, SSDEEP, …).
func ParseHashAlgorithm(s string) (HashAlgorithm, error) {
	if a, ok := lookupHashAlgorithm(s); ok {
		return a, nil
	}
	return "", invalid("hash algorithm", s, "not one of MD5, SHA-1, SHA-256, SHA-512")
}

func lookupHashAlgorithm(s string) (HashAlgorithm, bool) {
	if len(s) < 3 || len(s) > 7 {
		return "", false
	}
	switch strings.ToUpper(s) {
	case "MD5":
		return MD5, true
	case "SHA1", "SHA-1", "SHA_1":
		return SHA1, true
	case "SHA256", "SHA-256", "SHA_256":
		return SHA256, true
	case "SHA512", "SHA-512", "SHA_512":
		return SHA512, true
	}
	return "", false
}

// Hash is one validated hash: Value is lower-case hex of the algorithm's
// length.
type Hash struct {
	Algorithm HashAlgorithm
	Value     string
}

// NewHash validates a hash value of a known algorithm and lower-cases it.
func NewHash(alg HashAlgorithm, hex string) (Hash, error) {
	want := alg.HexLen()
	if want == 0 {
		return Hash{}, invalid("hash", hex, "unknown algorithm "+strings.TrimSpace(string(alg)))
	}
	if len(hex) != want {
		return Hash{}, invalid("hash", hex, string(alg)+" needs "+strconv.Itoa(want)+" hex digits, got "+strconv.Itoa(len(hex))+" characters")
	}
	lower := true
	for i := 0; i < len(hex); i++ {
		c := hex[i]
		switch {
		case '0' <= c && c <= '9', 'a' <= c && c <= 'f':
		case 'A' <= c && c <= 'F':
			lower = false
		default:
			return Hash{}, invalid("hash", hex, "not hexadecimal")
		}
	}
	if !lower {
		hex = strings.ToLower(hex)
	}
	return Hash{Algorithm: alg, Value: hex}, nil
}

// String is "ALG=value".
func (h Hash) String() string { return string(h.Algorithm) + "=" + h.Value }
