package enrich

import (
	"slices"
	"strings"

	"github.com/wazuh-opencti/wazuh-opencti/opencti"
)

// rank returns the indicators best first, without duplicates (by id), as
// the package documentation describes. The input is not modified.
func (b *builder) rank(inds []opencti.Indicator) []opencti.Indicator {
	out := make([]opencti.Indicator, 0, len(inds))
	seen := make(map[string]bool, len(inds))
	for _, ind := range inds {
		if ind.ID != "" && seen[ind.ID] {
			continue
		}
		seen[ind.ID] = true
		out = append(out, ind)
	}
	slices.SortStableFunc(out, func(x, y opencti.Indicator) int {
		switch {
		case b.less(x, y):
			return -1
		case b.less(y, x):
			return 1
		}
		return 0
	})
	return out
}

// less reports whether x ranks before y.
func (b *builder) less(x, y opencti.Indicator) bool {
	if x.Revoked != y.Revoked {
		return !x.Revoked
	}
	if dx, dy := x.Detection != nil && *x.Detection, y.Detection != nil && *y.Detection; dx != dy {
		return dx
	}
	if c := cmpOptional(x.Score, y.Score); c != 0 {
		return c > 0
	}
	if c := cmpOptional(x.Confidence, y.Confidence); c != 0 {
		return c > 0
	}
	if ex, ey := b.expired(x), b.expired(y); ex != ey {
		return !ex
	}
	if !x.UpdatedAt.Equal(y.UpdatedAt) {
		return x.UpdatedAt.After(y.UpdatedAt)
	}
	return strings.Compare(x.ID, y.ID) < 0
}

// cmpOptional compares two optional numbers; a missing one is less than any
// present one.
func cmpOptional(x, y *int) int {
	switch {
	case x == nil && y == nil:
		return 0
	case x == nil:
		return -1
	case y == nil:
		return 1
	case *x < *y:
		return -1
	case *x > *y:
		return 1
	}
	return 0
}

// expired reports whether the indicator's validity has ended.
func (b *builder) expired(ind opencti.Indicator) bool {
	return ind.ValidUntil != nil && !ind.ValidUntil.After(b.now)
}
