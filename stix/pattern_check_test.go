package stix

import "testing"

// checkObservablePattern checks an observable's Pattern(); the parser
// checks join it once the parser exists.
func checkObservablePattern(t *testing.T, o Observable) {
	t.Helper()
	if o.Pattern() == "" {
		t.Errorf("%v: empty pattern", o)
	}
}
