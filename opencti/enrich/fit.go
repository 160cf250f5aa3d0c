package enrich

import (
	"encoding/json"
	"unicode/utf8"
)

// Shrinking keeps at least this much of a list or a string.
const (
	minListLen   = 1
	minStringLen = 64
	ellipsis     = "…"
)

// fit returns e shrunk to the builder's size limit: the longest lists are
// shortened first, then the longest strings, and opencti.truncated is set.
// An event that cannot be shrunk enough is replaced by a minimal one that
// says so; it is never sent cut.
func (b *builder) fit(e Event) Event {
	return fitEvent(e, b.limit)
}

func fitEvent(e Event, limit int) Event {
	size := len(e.Body.AppendJSON(nil))
	if size <= limit {
		return e
	}
	body := e.Body.Clone()
	setTruncated(&body)
	for range 10000 { // each round removes something; the bound is a safety net
		size = len(body.AppendJSON(nil))
		if size <= limit {
			return Event{Type: e.Type, Body: body, Truncated: true}
		}
		excess := size - limit
		var v any = body
		if v2, ok := shrinkList(v, excess); ok {
			body = v2.(Object)
			continue
		}
		if v2, ok := shrinkString(v, excess); ok {
			body = v2.(Object)
			continue
		}
		break
	}
	// Nothing left to shorten: keep only what rules route on.
	var minimal Object
	minimal.Set("event_type", e.Type)
	minimal.Set("truncated", true)
	var env Object
	env.Set("integration", first(body, "integration"))
	env.Set("opencti", minimal)
	return Event{Type: e.Type, Body: env, Truncated: true}
}

func first(o Object, key string) any {
	v, _ := o.Get(key)
	return v
}

func setTruncated(env *Object) {
	if v, ok := env.Get("opencti"); ok {
		if o, ok := v.(Object); ok {
			o.Set("truncated", true)
			env.Set("opencti", o)
			return
		}
	}
	env.Set("truncated", true)
}

// path addresses a value inside an Object tree: field indices of Objects and
// element indices of lists.
type path []int

// target is the biggest shrinkable value found so far.
type target struct {
	path path
	size int
}

// shrinkList shortens the list with the largest encoding that has more than
// minListLen elements, dropping elements from its end until the excess is
// covered or the minimum is reached.
func shrinkList(root any, excess int) (any, bool) {
	var best target
	walk(root, nil, func(p path, v any) {
		n := 0
		switch l := v.(type) {
		case []string:
			n = len(l)
		case []Object:
			n = len(l)
		default:
			return
		}
		if n <= minListLen {
			return
		}
		if s := encodedSize(v); s > best.size {
			best = target{append(path(nil), p...), s}
		}
	})
	if best.path == nil {
		return root, false
	}
	return apply(root, best.path, func(v any) any {
		switch l := v.(type) {
		case []string:
			for len(l) > minListLen && excess > 0 {
				excess -= len(l[len(l)-1]) + 3
				l = l[:len(l)-1]
			}
			return l
		case []Object:
			for len(l) > minListLen && excess > 0 {
				excess -= encodedSize(l[len(l)-1]) + 1
				l = l[:len(l)-1]
			}
			return l
		}
		return v
	}), true
}

// shrinkString shortens the longest string that a cut makes shorter (more
// than minStringLen bytes and the "…" it ends with) by the excess, at least
// by half of what it may lose. A string of 65 to 67 bytes is left alone: cut
// to 64 bytes and "…" it would not shrink, and being chosen again and again
// it would keep longer strings from being cut.
func shrinkString(root any, excess int) (any, bool) {
	var best target
	walk(root, nil, func(p path, v any) {
		if s, ok := v.(string); ok && len(s) > minStringLen+len(ellipsis) && encodedSize(s) > best.size {
			best = target{append(path(nil), p...), encodedSize(s)}
		}
	})
	if best.path == nil {
		return root, false
	}
	return apply(root, best.path, func(v any) any {
		s := v.(string)
		keep := len(s) - excess - len(ellipsis)
		if half := len(s) - (len(s)-minStringLen)/2; keep > half {
			keep = half // an escaped string may be longer than its bytes: lose enough
		}
		keep = max(keep, minStringLen)
		for keep > 0 && !utf8.RuneStart(s[keep]) {
			keep--
		}
		return s[:keep] + ellipsis
	}), true
}

func encodedSize(v any) int {
	return len(appendValue(nil, v))
}

// walk calls f for every value in the tree, with its path.
func walk(v any, p path, f func(path, any)) {
	f(p, v)
	switch v := v.(type) {
	case Object:
		for i, fl := range v.fields {
			walk(fl.val, append(p, i), f)
		}
	case []Object:
		for i, o := range v {
			walk(o, append(p, i), f)
		}
	case []string:
		for i, s := range v {
			walk(s, append(p, i), f)
		}
	case json.RawMessage:
	}
}

// apply replaces the value at p with f of it, copying the containers on the
// way so that no other event sharing them changes.
func apply(v any, p path, f func(any) any) any {
	if len(p) == 0 {
		return f(v)
	}
	i := p[0]
	switch v := v.(type) {
	case Object:
		c := Object{fields: append([]field(nil), v.fields...)}
		c.fields[i].val = apply(c.fields[i].val, p[1:], f)
		return c
	case []Object:
		c := append([]Object(nil), v...)
		c[i] = apply(c[i], p[1:], f).(Object)
		return c
	case []string:
		c := append([]string(nil), v...)
		c[i] = apply(c[i], p[1:], f).(string)
		return c
	}
	return v
}
