package opencti

import (
	"bytes"
	"encoding/json"
	"strconv"

	"github.com/Khan/genqlient/graphql"
)

// json.Marshal encodes a lookup request by reflection over five struct
// types, building an encoder for each the first time, and re-validates the
// output of every nested MarshalJSON (a filter group holds filters, which
// have their own). That first time is about 1 ms, and it is every time in a
// program that makes one lookup per process, as the integration does.
// marshalRequest writes the same bytes directly; anything it does not know
// goes to json.Marshal. TestMarshalRequest and FuzzMarshalRequest check that
// the bytes are the same.

// marshalRequest encodes req exactly as json.Marshal does.
func marshalRequest(req *graphql.Request) ([]byte, error) {
	in, ok := req.Variables.(*__lookupInput)
	if !ok || in == nil {
		return json.Marshal(req)
	}
	w := newRequestWriter(1024 + len(req.Query))
	if !w.lookupRequest(req.Query, in, req.OpName) {
		return json.Marshal(req)
	}
	return w.buf.Bytes(), nil
}

// requestWriter writes JSON into buf; strings go through encoding/json's
// own encoder for strings, which needs no reflection, so that their escaping
// (HTML characters, invalid UTF-8, line separators) is its own.
type requestWriter struct {
	buf bytes.Buffer
	enc *json.Encoder
}

func newRequestWriter(size int) *requestWriter {
	w := &requestWriter{}
	w.buf.Grow(size)
	w.enc = json.NewEncoder(&w.buf)
	return w
}

func (w *requestWriter) raw(s string) { w.buf.WriteString(s) }

func (w *requestWriter) str(s string) {
	_ = w.enc.Encode(s)             // cannot fail for a string
	w.buf.Truncate(w.buf.Len() - 1) // Encode ends with a newline
}

// strs writes a list of strings as encoding/json does: null for nil.
func (w *requestWriter) strs(list []string) {
	if list == nil {
		w.raw("null")
		return
	}
	w.raw("[")
	for i, s := range list {
		if i > 0 {
			w.raw(",")
		}
		w.str(s)
	}
	w.raw("]")
}

func (w *requestWriter) int(n int) {
	w.buf.Write(strconv.AppendInt(w.buf.AvailableBuffer(), int64(n), 10))
}

func (w *requestWriter) bool(b bool) { w.buf.Write(strconv.AppendBool(w.buf.AvailableBuffer(), b)) }

// lookupRequest writes a graphql.Request of the lookup operation; false
// when a filter value is not a string.
func (w *requestWriter) lookupRequest(query string, in *__lookupInput, op string) bool {
	w.raw(`{"query":`)
	w.str(query)
	w.raw(`,"variables":{"observableTypes":`)
	w.strs(in.ObservableTypes)
	w.raw(`,"observableFilters":`)
	if !w.filterGroup(in.ObservableFilters) {
		return false
	}
	w.raw(`,"indicatorFilters":`)
	if !w.filterGroup(in.IndicatorFilters) {
		return false
	}
	w.raw(`,"relatedTypes":`)
	w.strs(in.RelatedTypes)
	w.raw(`,"first":`)
	w.int(in.First)
	w.raw(`,"nestedFirst":`)
	w.int(in.NestedFirst)
	if in.ObservablesAfter != "" {
		w.raw(`,"observablesAfter":`)
		w.str(in.ObservablesAfter)
	}
	if in.IndicatorsAfter != "" {
		w.raw(`,"indicatorsAfter":`)
		w.str(in.IndicatorsAfter)
	}
	w.raw(`,"withObservables":`)
	w.bool(in.WithObservables)
	w.raw(`,"withIndicators":`)
	w.bool(in.WithIndicators)
	w.raw(`},"operationName":`)
	w.str(op)
	w.raw("}")
	return true
}

// filterGroup writes what filterGroup.MarshalJSON gives.
func (w *requestWriter) filterGroup(g filterGroup) bool {
	mode := g.Mode
	if mode == "" {
		mode = "and"
	}
	w.raw(`{"mode":`)
	w.str(mode)
	w.raw(`,"filters":[`)
	for i, f := range g.Filters {
		if i > 0 {
			w.raw(",")
		}
		if !w.filter(f) {
			return false
		}
	}
	w.raw(`],"filterGroups":[`)
	for i, sub := range g.FilterGroups {
		if i > 0 {
			w.raw(",")
		}
		if !w.filterGroup(sub) {
			return false
		}
	}
	w.raw("]}")
	return true
}

// filter writes what filter.MarshalJSON gives, for string values.
func (w *requestWriter) filter(f filter) bool {
	w.raw(`{"key":`)
	w.strs(nonNil(f.Key))
	w.raw(`,"values":[`)
	for i, v := range f.Values {
		s, ok := v.(string)
		if !ok {
			return false
		}
		if i > 0 {
			w.raw(",")
		}
		w.str(s)
	}
	w.raw("]")
	if f.Operator != "" {
		w.raw(`,"operator":`)
		w.str(f.Operator)
	}
	if f.Mode != "" {
		w.raw(`,"mode":`)
		w.str(f.Mode)
	}
	w.raw("}")
	return true
}
