package stix

import (
	"errors"
	"fmt"
	"unicode/utf8"
)

// ErrInvalidValue is matched by errors.Is for every value a constructor
// rejects. Use errors.As with *ValueError to learn which type and why.
var ErrInvalidValue = errors.New("invalid STIX value")

// ErrUnsupported is matched by errors.Is for valid STIX this package does not
// handle: observation qualifiers and FOLLOWEDBY in patterns, observable types
// other than the ones of this package.
var ErrUnsupported = errors.New("unsupported STIX construct")

// ValueError describes a value that a constructor rejected.
type ValueError struct {
	Type   string // the STIX type or the kind of value, e.g. "ipv4-addr", "hash"
	Value  string // the input, shortened when long
	Reason string // why it was rejected
}

func (e *ValueError) Error() string {
	return fmt.Sprintf("stix: invalid %s %q: %s", e.Type, e.Value, e.Reason)
}

// Is makes errors.Is(err, ErrInvalidValue) true for every *ValueError.
func (e *ValueError) Is(target error) bool { return target == ErrInvalidValue }

// maxErrorValue bounds the input quoted in an error: alerts can carry huge
// strings, and an error message is not the place to repeat them.
const maxErrorValue = 80

func invalid(typ, value, reason string) *ValueError {
	return &ValueError{Type: typ, Value: shorten(value, maxErrorValue), Reason: reason}
}

// shorten cuts s to at most n bytes on a rune boundary, marking the cut.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
