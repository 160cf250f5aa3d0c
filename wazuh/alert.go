package wazuh

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// MaxAlertSize is the largest alert file accepted, in bytes. integratord drops
// alerts of 64 KiB or more, so anything near this bound did not come from it.
const MaxAlertSize = 1 << 20

// TimestampLayout is the layout of an alert's timestamp, as Wazuh writes it:
// "2025-03-14T09:26:53.417+0000".
const TimestampLayout = "2006-01-02T15:04:05.000-0700"

// Errors returned when reading and decoding alerts. An *AlertError matches
// ErrInvalidAlert, and also ErrEmptyAlert or ErrTruncatedAlert when that is
// the problem.
var (
	ErrInvalidAlert   = errors.New("invalid alert")
	ErrEmptyAlert     = errors.New("empty alert")
	ErrTruncatedAlert = errors.New("truncated alert")
	ErrAlertTooLarge  = errors.New("alert too large")
)

// AlertError says why an alert could not be decoded.
type AlertError struct {
	File   string // the alert file; "" for DecodeAlert
	Offset int64  // byte offset of a syntax problem; -1 when not about a position
	Field  string // dotted path of a core field of the wrong type; "" otherwise
	Reason string
	kind   error // ErrEmptyAlert, ErrTruncatedAlert or nil
}

func (e *AlertError) Error() string {
	var b strings.Builder
	b.WriteString("wazuh: invalid alert")
	if e.File != "" {
		b.WriteString(" " + strconv.Quote(e.File))
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString("field " + strconv.Quote(e.Field) + ": ")
	}
	b.WriteString(e.Reason)
	if e.Offset >= 0 {
		b.WriteString(" (at byte " + strconv.FormatInt(e.Offset, 10) + ")")
	}
	return b.String()
}

// Unwrap lets errors.Is match ErrInvalidAlert and the specific problem.
func (e *AlertError) Unwrap() []error {
	if e.kind != nil {
		return []error{ErrInvalidAlert, e.kind}
	}
	return []error{ErrInvalidAlert}
}

// Alert is one Wazuh alert as wazuh-integratord hands it to an integration.
// The typed fields hold the core every alert shares; Field and Data reach
// everything else.
type Alert struct {
	Timestamp time.Time // zero when the alert has none
	ID        string    // "<epoch>.<offset>"
	Rule      Rule
	Agent     Agent // zero Agent when the alert has none (then IsManager is true)
	Manager   Manager
	Cluster   Cluster
	Decoder   Decoder
	Location  string
	FullLog   string
	Syscheck  *Syscheck // nil when absent
	Data      Value     // the "data" object; the missing Value when absent

	root Value
}

// Rule is the rule that fired.
type Rule struct {
	ID          string
	Level       int
	Description string
	Groups      []string
	FiredTimes  int
	Mitre       Mitre
}

// Mitre holds the rule's MITRE ATT&CK mapping.
type Mitre struct {
	ID, Tactic, Technique []string
}

// Agent is the agent the alert is about. Labels are flattened: a label
// "aws.instance-id" that Wazuh nests as {"aws":{"instance-id":…}} has the key
// "aws.instance-id".
type Agent struct {
	ID, Name, IP string
	Labels       map[string]string
}

// IsManager reports whether the alert comes from the manager itself: agent
// "000", or no agent at all.
func (a Agent) IsManager() bool { return a.ID == "" || a.ID == "000" }

// Manager is the manager that raised the alert.
type Manager struct{ Name string }

// Cluster is the cluster and node that raised the alert (empty when Wazuh
// runs without a cluster or hides it).
type Cluster struct{ Name, Node string }

// Decoder names the decoder that parsed the event.
type Decoder struct{ Name, Parent string }

// Syscheck is the file integrity monitoring part of an alert. Sizes, times
// and hashes are kept as Wazuh writes them; Raw holds the whole object
// (permissions, owners, audit data, ...).
type Syscheck struct {
	Path, Event, Mode string // event: "added", "modified" or "deleted"

	SizeBefore, SizeAfter               string
	MD5Before, SHA1Before, SHA256Before string
	MD5After, SHA1After, SHA256After    string
	MTimeBefore, MTimeAfter             string
	UnameAfter, GnameAfter, PermAfter   string
	ChangedAttributes                   []string
	Raw                                 Value
}

// ReadAlertFile reads and decodes an alert file. A missing file gives an
// error matching fs.ErrNotExist; a file over MaxAlertSize gives
// ErrAlertTooLarge without being read further; bad content gives an
// *AlertError (ErrInvalidAlert).
func ReadAlertFile(path string) (*Alert, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("wazuh: reading alert: %w", err)
	}
	defer f.Close()
	data, err := readLimited(f, MaxAlertSize)
	if errors.Is(err, errTooLarge) {
		return nil, fmt.Errorf("wazuh: alert %q: %w (over %d bytes)", path, ErrAlertTooLarge, MaxAlertSize)
	}
	if err != nil {
		return nil, fmt.Errorf("wazuh: reading alert: %w", err)
	}
	a, err := DecodeAlert(data)
	var ae *AlertError
	if errors.As(err, &ae) {
		ae.File = path
	}
	return a, err
}

var errTooLarge = errors.New("too large")

// readLimited reads at most limit+1 bytes from f and fails with errTooLarge
// when there are more than limit, so a huge file is never read whole.
func readLimited(f *os.File, limit int64) ([]byte, error) {
	size := int64(512)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = min(fi.Size(), limit) + 1
	}
	buf := make([]byte, 0, size)
	buf, err := readAllInto(io.LimitReader(f, limit+1), buf)
	if err != nil {
		return nil, err
	}
	if int64(len(buf)) > limit {
		return nil, errTooLarge
	}
	return buf, nil
}

// readAllInto is io.ReadAll with a caller-sized buffer, so a regular file is
// read with one allocation.
func readAllInto(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// DecodeAlert decodes one alert: a JSON object, optionally surrounded by
// whitespace (integratord ends the file with a newline). Invalid UTF-8 inside
// strings is replaced with U+FFFD and decoding goes on, so no field is lost.
// Numbers and booleans that Wazuh wrote as strings are accepted in the typed
// core ("level":"5"); a core field of an impossible type is an error naming
// the field.
func DecodeAlert(data []byte) (*Alert, error) {
	if len(data) > MaxAlertSize {
		return nil, fmt.Errorf("wazuh: alert: %w (%d bytes, over %d)", ErrAlertTooLarge, len(data), MaxAlertSize)
	}
	n, se := parseJSON(string(data))
	if se != nil {
		ae := &AlertError{Offset: int64(se.offset), Reason: se.msg}
		if se.truncated {
			ae.kind = ErrTruncatedAlert
			ae.Reason = "unexpected end of input: the JSON is truncated"
		}
		return nil, ae
	}
	if n == nil {
		return nil, &AlertError{Offset: -1, Reason: "the alert is empty", kind: ErrEmptyAlert}
	}
	if n.kind != KindObject {
		return nil, &AlertError{Offset: -1, Reason: "the alert is a JSON " + n.kind.String() + ", not an object"}
	}
	a := &Alert{root: Value{n}}
	if err := a.decodeCore(); err != nil {
		return nil, err
	}
	return a, nil
}

// core reads typed fields from the tree, remembering the first problem.
type core struct {
	root Value
	err  *AlertError
}

func (c *core) fail(path, reason string) {
	if c.err == nil {
		c.err = &AlertError{Offset: -1, Field: path, Reason: reason}
	}
}

// object returns the object at path, or the missing Value when it is absent
// or null.
func (c *core) object(path string) Value {
	v := c.root.Get(path)
	switch v.Kind() {
	case KindObject:
		return v
	case KindMissing, KindNull:
		return Value{}
	}
	c.fail(path, "want an object, got "+withArticle(v.Kind().String()))
	return Value{}
}

// str returns the text of a string or number at obj.key; null and absent give "".
func (c *core) str(obj Value, path, key string) string {
	v := obj.Key(key)
	switch v.Kind() {
	case KindString, KindNumber:
		return v.n.str
	case KindMissing, KindNull:
		return ""
	}
	c.fail(joinPath(path, key), "want a string, got "+withArticle(v.Kind().String()))
	return ""
}

func (c *core) int(obj Value, path, key string) int {
	v := obj.Key(key)
	switch v.Kind() {
	case KindMissing, KindNull:
		return 0
	}
	i, ok := v.Int()
	if !ok || i != int64(int(i)) {
		c.fail(joinPath(path, key), "want an integer, got "+describeValue(v))
		return 0
	}
	return int(i)
}

// strs returns an array of strings or numbers; a lone string counts as one.
func (c *core) strs(obj Value, path, key string) []string {
	v := obj.Key(key)
	switch v.Kind() {
	case KindMissing, KindNull:
		return nil
	case KindString, KindNumber:
		return []string{v.n.str}
	case KindArray:
		out := make([]string, 0, len(v.n.elems))
		for i, e := range v.n.elems {
			if e.kind != KindString && e.kind != KindNumber {
				c.fail(joinPath(path, key)+"."+strconv.Itoa(i), "want a string, got "+withArticle(e.kind.String()))
				return nil
			}
			out = append(out, e.str)
		}
		return out
	}
	c.fail(joinPath(path, key), "want an array of strings, got "+withArticle(v.Kind().String()))
	return nil
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func describeValue(v Value) string {
	switch v.Kind() {
	case KindString, KindNumber:
		s := v.n.str
		if len(s) > 32 {
			s = s[:32] + "…"
		}
		return strconv.Quote(s)
	}
	return "a " + v.Kind().String()
}

func (a *Alert) decodeCore() error {
	c := &core{root: a.root}
	if ts := c.str(a.root, "", "timestamp"); ts != "" {
		t, err := parseTimestamp(ts)
		if err != nil {
			c.fail("timestamp", describeValue(a.root.Key("timestamp"))+" is not a timestamp like "+TimestampLayout)
		}
		a.Timestamp = t
	}
	a.ID = c.str(a.root, "", "id")
	a.Location = c.str(a.root, "", "location")
	a.FullLog = c.str(a.root, "", "full_log")

	rule := c.object("rule")
	a.Rule = Rule{
		ID:          c.str(rule, "rule", "id"),
		Level:       c.int(rule, "rule", "level"),
		Description: c.str(rule, "rule", "description"),
		Groups:      c.strs(rule, "rule", "groups"),
		FiredTimes:  c.int(rule, "rule", "firedtimes"),
	}
	mitre := c.object("rule.mitre")
	a.Rule.Mitre = Mitre{
		ID:        c.strs(mitre, "rule.mitre", "id"),
		Tactic:    c.strs(mitre, "rule.mitre", "tactic"),
		Technique: c.strs(mitre, "rule.mitre", "technique"),
	}

	agent := c.object("agent")
	a.Agent = Agent{
		ID:   c.str(agent, "agent", "id"),
		Name: c.str(agent, "agent", "name"),
		IP:   c.str(agent, "agent", "ip"),
	}
	if labels := c.object("agent.labels"); labels.Len() > 0 {
		a.Agent.Labels = make(map[string]string, labels.Len())
		flattenLabels(a.Agent.Labels, "", labels)
	}

	manager := c.object("manager")
	a.Manager.Name = c.str(manager, "manager", "name")
	cluster := c.object("cluster")
	a.Cluster = Cluster{Name: c.str(cluster, "cluster", "name"), Node: c.str(cluster, "cluster", "node")}
	decoder := c.object("decoder")
	a.Decoder = Decoder{Name: c.str(decoder, "decoder", "name"), Parent: c.str(decoder, "decoder", "parent")}

	if sc := c.object("syscheck"); sc.Exists() {
		s := func(key string) string { return c.str(sc, "syscheck", key) }
		a.Syscheck = &Syscheck{
			Path: s("path"), Event: s("event"), Mode: s("mode"),
			SizeBefore: s("size_before"), SizeAfter: s("size_after"),
			MD5Before: s("md5_before"), SHA1Before: s("sha1_before"), SHA256Before: s("sha256_before"),
			MD5After: s("md5_after"), SHA1After: s("sha1_after"), SHA256After: s("sha256_after"),
			MTimeBefore: s("mtime_before"), MTimeAfter: s("mtime_after"),
			UnameAfter: s("uname_after"), GnameAfter: s("gname_after"), PermAfter: s("perm_after"),
			ChangedAttributes: c.strs(sc, "syscheck", "changed_attributes"),
			Raw:               sc,
		}
	}
	a.Data = a.root.Key("data")
	if c.err != nil {
		return c.err
	}
	return nil
}

// flattenLabels copies agent labels into m; nested objects become dotted
// keys, and any other non-scalar value is kept as its JSON text.
func flattenLabels(m map[string]string, prefix string, obj Value) {
	for _, mem := range obj.n.members {
		key := prefix + mem.key
		v := Value{mem.val}
		switch v.Kind() {
		case KindObject:
			flattenLabels(m, key+".", v)
		case KindString, KindNumber:
			m[key] = v.n.str
		default:
			m[key] = string(v.appendJSON(nil))
		}
	}
}

// parseTimestamp accepts Wazuh's layout and, for hand-written alerts, RFC 3339.
func parseTimestamp(s string) (time.Time, error) {
	t, err := time.Parse(TimestampLayout, s)
	if err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05.999999999-0700", time.RFC3339Nano} {
		if t, err2 := time.Parse(layout, s); err2 == nil {
			return t, nil
		}
	}
	return time.Time{}, err
}

// Field returns the value at a dotted path from the alert's root:
// "data.win.eventdata.hashes", "rule.id", "syscheck.sha256_after", "agent.ip".
// See Value.Get for arrays.
func (a *Alert) Field(path string) Value {
	if a == nil {
		return Value{}
	}
	return a.root.Get(path)
}

// HasGroup reports whether name is one of the rule's groups (exact match, as
// integratord's <group> filter compares).
func (a *Alert) HasGroup(name string) bool {
	if a == nil {
		return false
	}
	for _, g := range a.Rule.Groups {
		if g == name {
			return true
		}
	}
	return false
}

// IsIntegrationEvent reports whether the alert was raised on an event that
// the integration called name wrote itself: data.integration is the name with
// or without the "custom-" prefix, or the location is. ("opencti" and
// "custom-opencti" are the same integration.) An integration must not act on
// its own output, or every hit would loop.
func (a *Alert) IsIntegrationEvent(name string) bool {
	if a == nil {
		return false
	}
	base := strings.TrimPrefix(name, "custom-")
	if base == "" {
		return false
	}
	is := func(s string) bool { return s == base || s == "custom-"+base }
	integration, _ := a.Data.Key("integration").String()
	return is(integration) || is(a.Location)
}

// MarshalJSON returns the whole alert as compact JSON, keys in the order they
// were read.
func (a *Alert) MarshalJSON() ([]byte, error) {
	if a == nil {
		return []byte("null"), nil
	}
	return a.root.MarshalJSON()
}

// withArticle puts "a" or "an" before a kind's name.
func withArticle(kind string) string {
	if kind != "" && strings.IndexByte("aeiou", kind[0]) >= 0 {
		return "an " + kind
	}
	return "a " + kind
}
