package openctitest

import (
	"context"
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/graph-gophers/graphql-go"

	"github.com/wazuh-opencti/wazuh-opencti/stix"
)

// Resolvers for github.com/graph-gophers/graphql-go, which binds them to the
// schema by reflection: a method per field, named after it (case and
// underscores ignored), with the field's arguments in a struct.

// Page sizes, as on OpenCTI: the default of a list argument first, and the
// most one page holds (larger values are silently capped).
const (
	defaultPageSize = 500
	maxPageSize     = 5000
)

// env is what resolvers share: the data and the server's settings.
type env struct {
	s        *store
	version  string
	userName string
	userID   string
	now      func() time.Time
}

type authKey struct{}

// withAuth marks a request context as carrying a valid token.
func withAuth(ctx context.Context, ok bool) context.Context {
	return context.WithValue(ctx, authKey{}, ok)
}

// authorize fails every root field of an unauthenticated request, as
// OpenCTI's resolvers do.
func authorize(ctx context.Context) error {
	if ok, _ := ctx.Value(authKey{}).(bool); !ok {
		return errAuthRequired
	}
	return nil
}

type rootResolver struct{ e *env }

type appInfo struct{ version string }

func (a *appInfo) Version() string { return a.version }

type meUser struct{ id, name string }

func (m *meUser) ID() graphql.ID { return graphql.ID(m.id) }
func (m *meUser) Name() string   { return m.name }

func (r *rootResolver) About(ctx context.Context) (*appInfo, error) {
	if err := authorize(ctx); err != nil {
		return nil, err
	}
	return &appInfo{r.e.version}, nil
}

func (r *rootResolver) Me(ctx context.Context) (*meUser, error) {
	if err := authorize(ctx); err != nil {
		return nil, err
	}
	return &meUser{r.e.userID, r.e.userName}, nil
}

type listArgs struct {
	First   *int32
	After   *graphql.ID
	Types   *[]*string
	Filters *filterGroupInput
}

func (r *rootResolver) StixCyberObservables(ctx context.Context, args listArgs) (*observableConnection, error) {
	if err := authorize(ctx); err != nil {
		return nil, err
	}
	match, err := compileFilters(args.Filters)
	if err != nil {
		return nil, err
	}
	types := strings_(args.Types)
	now := r.e.now()
	var found []*observable
	for _, o := range r.e.s.observables {
		if (len(types) == 0 || o.isAnyOf(types)) && match(o, now) {
			found = append(found, o)
		}
	}
	page, info, err := paginate(found, args.First, args.After)
	if err != nil {
		return nil, err
	}
	c := &observableConnection{info: info}
	for _, o := range page {
		c.edges = append(c.edges, &observableEdge{cursor: cursor(o), node: &observableResolver{o, r.e}})
	}
	return c, nil
}

func (r *rootResolver) Indicators(ctx context.Context, args listArgs) (*indicatorConnection, error) {
	if err := authorize(ctx); err != nil {
		return nil, err
	}
	match, err := compileFilters(args.Filters)
	if err != nil {
		return nil, err
	}
	now := r.e.now()
	var found []*indicator
	for _, in := range r.e.s.indicators {
		if match(in, now) {
			found = append(found, in)
		}
	}
	page, info, err := paginate(found, args.First, args.After)
	if err != nil {
		return nil, err
	}
	return newIndicatorConnection(page, info, r.e), nil
}

type idArgs struct{ ID string }

func (r *rootResolver) StixCyberObservable(ctx context.Context, args idArgs) (*observableResolver, error) {
	if err := authorize(ctx); err != nil {
		return nil, err
	}
	if o, ok := r.e.s.byID[args.ID].(*observable); ok {
		return &observableResolver{o, r.e}, nil
	}
	return nil, nil
}

func (r *rootResolver) Indicator(ctx context.Context, args idArgs) (*indicatorResolver, error) {
	if err := authorize(ctx); err != nil {
		return nil, err
	}
	if in, ok := r.e.s.byID[args.ID].(*indicator); ok {
		return &indicatorResolver{in, r.e}, nil
	}
	return nil, nil
}

// strings_ flattens a [String] argument, dropping nulls.
func strings_(list *[]*string) []string {
	if list == nil {
		return nil
	}
	var out []string
	for _, s := range *list {
		if s != nil {
			out = append(out, *s)
		}
	}
	return out
}

func (e *entity) isAnyOf(types []string) bool {
	for _, t := range types {
		if e.isA(t) {
			return true
		}
	}
	return false
}

// Cursors are opaque to clients: the position of the object in the fake's
// list, which never changes while a server runs.
func cursor(n node) string {
	return base64.StdEncoding.EncodeToString([]byte("openctitest:" + strconv.Itoa(n.base().ordinal)))
}

func parseCursor(c string) (int, error) {
	b, err := base64.StdEncoding.DecodeString(c)
	if err == nil {
		if rest, ok := strings.CutPrefix(string(b), "openctitest:"); ok {
			if n, err := strconv.Atoi(rest); err == nil && n >= 0 {
				return n, nil
			}
		}
	}
	return 0, &apiError{code: codeFunctional, msg: fmt.Sprintf("Invalid pagination cursor %q", c)}
}

// pageSize reads a first argument: default, cap, and no negative sizes.
func pageSize(first *int32) (int, error) {
	if first == nil {
		return defaultPageSize, nil
	}
	if *first < 0 {
		return 0, &apiError{code: codeFunctional, msg: fmt.Sprintf("Invalid page size first: %d", *first)}
	}
	return min(int(*first), maxPageSize), nil
}

// paginate cuts the page after the cursor from items in list order.
func paginate[T node](items []T, first *int32, after *graphql.ID) ([]T, *pageInfo, error) {
	size, err := pageSize(first)
	if err != nil {
		return nil, nil, err
	}
	start := 0
	info := &pageInfo{global: len(items)}
	if after != nil && *after != "" {
		pos, err := parseCursor(string(*after))
		if err != nil {
			return nil, nil, err
		}
		for start < len(items) && items[start].base().ordinal <= pos {
			start++
		}
		info.hasPrevious = true
	}
	end := min(start+size, len(items))
	page := items[start:end]
	info.hasNext = end < len(items)
	if len(page) > 0 {
		info.start, info.end = cursor(page[0]), cursor(page[len(page)-1])
	}
	return page, info, nil
}

// firstN is a nested list cut to its first argument.
func firstN[T any](items []T, first *int32) ([]T, bool, error) {
	size, err := pageSize(first)
	if err != nil {
		return nil, false, err
	}
	if len(items) > size {
		return items[:size], true, nil
	}
	return items, false, nil
}

type pageInfo struct {
	start, end           string
	hasNext, hasPrevious bool
	global               int
}

func (p *pageInfo) StartCursor() string   { return p.start }
func (p *pageInfo) EndCursor() string     { return p.end }
func (p *pageInfo) HasNextPage() bool     { return p.hasNext }
func (p *pageInfo) HasPreviousPage() bool { return p.hasPrevious }
func (p *pageInfo) GlobalCount() int32    { return clampInt32(int64(p.global)) }
func clampInt32(n int64) int32            { return int32(max(math.MinInt32, min(n, math.MaxInt32))) }
func int32Ptr(n *int) *int32              { return mapPtr(n, func(v int) int32 { return clampInt32(int64(v)) }) }
func timePtr(t *time.Time) *dateTime {
	return mapPtr(t, func(t time.Time) dateTime { return dateTime{t} })
}
func mapPtr[T, U any](p *T, f func(T) U) *U {
	if p == nil {
		return nil
	}
	v := f(*p)
	return &v
}

// optString is a nullable String: null for "".
func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optStrings(list []string) *[]*string {
	if list == nil {
		return nil
	}
	out := make([]*string, len(list))
	for i := range list {
		out[i] = &list[i]
	}
	return &out
}

// dateTime is the DateTime scalar, written as OpenCTI writes it: UTC with
// milliseconds.
type dateTime struct{ time.Time }

func (dateTime) ImplementsGraphQLType(name string) bool { return name == "DateTime" }

func (d *dateTime) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return fmt.Errorf("DateTime: want a string, got %T", input)
	}
	t, err := stix.ParseTimestamp(s)
	d.Time = t
	return err
}

func (d dateTime) MarshalJSON() ([]byte, error) {
	return []byte(`"` + stix.FormatTimestamp(d.Time) + `"`), nil
}

// Common fields of observables and indicators.

type entityResolver struct {
	ent *entity
	e   *env
}

func (r entityResolver) ID() graphql.ID      { return graphql.ID(r.ent.internalID) }
func (r entityResolver) StandardID() string  { return r.ent.standardID }
func (r entityResolver) EntityType() string  { return r.ent.entityType }
func (r entityResolver) CreatedAt() dateTime { return dateTime{r.ent.createdAt} }
func (r entityResolver) UpdatedAt() dateTime { return dateTime{r.ent.updatedAt} }
func (r entityResolver) CreatedBy() *identityResolver {
	if r.ent.createdBy == nil {
		return nil
	}
	return &identityResolver{r.ent.createdBy}
}

func (r entityResolver) ObjectMarking() *[]*markingResolver {
	out := make([]*markingResolver, len(r.ent.markings))
	for i, m := range r.ent.markings {
		out[i] = &markingResolver{m}
	}
	return &out
}

func (r entityResolver) ObjectLabel() *[]*labelResolver {
	out := make([]*labelResolver, len(r.ent.labels))
	for i, l := range r.ent.labels {
		out[i] = &labelResolver{l}
	}
	return &out
}

type firstArgs struct{ First *int32 }

func (r entityResolver) ExternalReferences(args firstArgs) (*externalReferenceConnection, error) {
	refs, more, err := firstN(r.ent.extRefs, args.First)
	if err != nil {
		return nil, err
	}
	c := &externalReferenceConnection{info: &pageInfo{hasNext: more, global: len(r.ent.extRefs)}}
	for i := range refs {
		c.edges = append(c.edges, &externalReferenceEdge{&externalReferenceResolver{&refs[i]}})
	}
	return c, nil
}

type relationshipArgs struct {
	First            *int32
	FromTypes        *[]*string
	ToTypes          *[]*string
	RelationshipType *string // upstream has it; served once the schema has it
}

// StixCoreRelationships lists the relationships where the object is either
// end, as OpenCTI does; fromTypes and toTypes restrict the types of the
// source and of the target.
func (r entityResolver) StixCoreRelationships(args relationshipArgs) (*relationshipConnection, error) {
	from, to := strings_(args.FromTypes), strings_(args.ToTypes)
	var found []*relationship
	for _, rel := range r.ent.relations {
		if (len(from) == 0 || rel.from.base().isAnyOf(from)) &&
			(len(to) == 0 || rel.to.base().isAnyOf(to)) &&
			(args.RelationshipType == nil || *args.RelationshipType == "" || foldEqual(rel.relationshipType, *args.RelationshipType)) {
			found = append(found, rel)
		}
	}
	page, more, err := firstN(found, args.First)
	if err != nil {
		return nil, err
	}
	c := &relationshipConnection{info: nestedPageInfo(page, more, len(found))}
	for _, rel := range page {
		c.edges = append(c.edges, &relationshipEdge{cursor(rel), &relationshipResolver{rel, r.e}})
	}
	return c, nil
}

func nestedPageInfo[T node](page []T, more bool, total int) *pageInfo {
	info := &pageInfo{hasNext: more, global: total}
	if len(page) > 0 {
		info.start, info.end = cursor(page[0]), cursor(page[len(page)-1])
	}
	return info
}

// observableResolver serves every observable type; the To methods tell the
// engine which GraphQL type an observable is.
type observableResolver struct {
	o *observable
	e *env
}

func (r *observableResolver) common() entityResolver { return entityResolver{&r.o.entity, r.e} }

func (r *observableResolver) ID() graphql.ID                     { return r.common().ID() }
func (r *observableResolver) StandardID() string                 { return r.common().StandardID() }
func (r *observableResolver) EntityType() string                 { return r.common().EntityType() }
func (r *observableResolver) CreatedAt() dateTime                { return r.common().CreatedAt() }
func (r *observableResolver) UpdatedAt() dateTime                { return r.common().UpdatedAt() }
func (r *observableResolver) CreatedBy() *identityResolver       { return r.common().CreatedBy() }
func (r *observableResolver) ObjectMarking() *[]*markingResolver { return r.common().ObjectMarking() }
func (r *observableResolver) ObjectLabel() *[]*labelResolver     { return r.common().ObjectLabel() }
func (r *observableResolver) ExternalReferences(args firstArgs) (*externalReferenceConnection, error) {
	return r.common().ExternalReferences(args)
}
func (r *observableResolver) StixCoreRelationships(args relationshipArgs) (*relationshipConnection, error) {
	return r.common().StixCoreRelationships(args)
}
func (r *observableResolver) XOpenctiScore() *int32        { return int32Ptr(r.o.score) }
func (r *observableResolver) XOpenctiDescription() *string { return r.o.description }
func (r *observableResolver) ObservableValue() string      { return r.o.observableValue() }
func (r *observableResolver) Value() *string               { return optString(r.o.value) }
func (r *observableResolver) Name() *string                { return optString(r.o.name) }
func (r *observableResolver) Size() *int32 {
	if r.o.size == nil || *r.o.size > math.MaxInt32 {
		return nil // GraphQL's Int has 32 bits; OpenCTI fails larger sizes too
	}
	n := int32(*r.o.size)
	return &n
}

func (r *observableResolver) Hashes() *[]*hashResolver {
	if r.o.entityType != "StixFile" {
		return nil
	}
	out := make([]*hashResolver, len(r.o.hashes))
	for i := range r.o.hashes {
		out[i] = &hashResolver{&r.o.hashes[i]}
	}
	return &out
}

// Indicators are the indicators "based-on" the observable.
func (r *observableResolver) Indicators(args firstArgs) (*indicatorConnection, error) {
	page, more, err := firstN(r.o.indicators, args.First)
	if err != nil {
		return nil, err
	}
	return newIndicatorConnection(page, nestedPageInfo(page, more, len(r.o.indicators)), r.e), nil
}

func (r *observableResolver) is(entityType string) (*observableResolver, bool) {
	return r, r.o.entityType == entityType
}

func (r *observableResolver) ToIPv4Addr() (*observableResolver, bool)   { return r.is("IPv4-Addr") }
func (r *observableResolver) ToIPv6Addr() (*observableResolver, bool)   { return r.is("IPv6-Addr") }
func (r *observableResolver) ToDomainName() (*observableResolver, bool) { return r.is("Domain-Name") }
func (r *observableResolver) ToHostname() (*observableResolver, bool)   { return r.is("Hostname") }
func (r *observableResolver) ToUrl() (*observableResolver, bool)        { return r.is("Url") }
func (r *observableResolver) ToEmailAddr() (*observableResolver, bool)  { return r.is("Email-Addr") }
func (r *observableResolver) ToStixFile() (*observableResolver, bool)   { return r.is("StixFile") }

type hashResolver struct{ h *hash }

func (r *hashResolver) Algorithm() string { return r.h.algorithm }
func (r *hashResolver) Hash() *string     { return &r.h.value }

type indicatorResolver struct {
	in *indicator
	e  *env
}

func (r *indicatorResolver) common() entityResolver { return entityResolver{&r.in.entity, r.e} }

func (r *indicatorResolver) ID() graphql.ID                     { return r.common().ID() }
func (r *indicatorResolver) StandardID() string                 { return r.common().StandardID() }
func (r *indicatorResolver) EntityType() string                 { return r.common().EntityType() }
func (r *indicatorResolver) CreatedAt() dateTime                { return r.common().CreatedAt() }
func (r *indicatorResolver) UpdatedAt() dateTime                { return r.common().UpdatedAt() }
func (r *indicatorResolver) CreatedBy() *identityResolver       { return r.common().CreatedBy() }
func (r *indicatorResolver) ObjectMarking() *[]*markingResolver { return r.common().ObjectMarking() }
func (r *indicatorResolver) ObjectLabel() *[]*labelResolver     { return r.common().ObjectLabel() }
func (r *indicatorResolver) ExternalReferences(args firstArgs) (*externalReferenceConnection, error) {
	return r.common().ExternalReferences(args)
}
func (r *indicatorResolver) StixCoreRelationships(args relationshipArgs) (*relationshipConnection, error) {
	return r.common().StixCoreRelationships(args)
}
func (r *indicatorResolver) Revoked() bool               { return r.in.revokedAt(r.e.now()) }
func (r *indicatorResolver) Confidence() *int32          { return int32Ptr(r.in.confidence) }
func (r *indicatorResolver) Created() *dateTime          { return timePtr(&r.in.created) }
func (r *indicatorResolver) Modified() *dateTime         { return timePtr(&r.in.modified) }
func (r *indicatorResolver) PatternType() *string        { return optString(r.in.patternType) }
func (r *indicatorResolver) PatternVersion() *string     { return r.in.patternVersion }
func (r *indicatorResolver) Pattern() *string            { return optString(r.in.pattern) }
func (r *indicatorResolver) Name() string                { return r.in.name }
func (r *indicatorResolver) Description() *string        { return r.in.description }
func (r *indicatorResolver) IndicatorTypes() *[]*string  { return optStrings(r.in.indicatorTypes) }
func (r *indicatorResolver) ValidFrom() *dateTime        { return timePtr(r.in.validFrom) }
func (r *indicatorResolver) ValidUntil() *dateTime       { return timePtr(r.in.validUntil) }
func (r *indicatorResolver) XOpenctiScore() *int32       { return int32Ptr(r.in.score) }
func (r *indicatorResolver) XOpenctiDetection() *bool    { return r.in.detection }
func (r *indicatorResolver) XMitrePlatforms() *[]*string { return optStrings(r.in.platforms) }
func (r *indicatorResolver) XOpenctiMainObservableType() *string {
	return optString(r.in.mainObservableType)
}

func (r *indicatorResolver) KillChainPhases() *[]*killChainPhaseResolver {
	out := make([]*killChainPhaseResolver, len(r.in.killChainPhases))
	for i := range r.in.killChainPhases {
		out[i] = &killChainPhaseResolver{&r.in.killChainPhases[i]}
	}
	return &out
}

type killChainPhaseResolver struct{ k *stix.KillChainPhase }

func (r *killChainPhaseResolver) KillChainName() string { return r.k.KillChainName }
func (r *killChainPhaseResolver) PhaseName() string     { return r.k.PhaseName }

type indicatorConnection struct {
	info  *pageInfo
	edges []*indicatorEdge
}

func newIndicatorConnection(page []*indicator, info *pageInfo, e *env) *indicatorConnection {
	c := &indicatorConnection{info: info}
	for _, in := range page {
		c.edges = append(c.edges, &indicatorEdge{cursor(in), &indicatorResolver{in, e}})
	}
	return c
}

func (c *indicatorConnection) PageInfo() *pageInfo { return c.info }

func (c *indicatorConnection) Edges() *[]*indicatorEdge {
	edges := c.edges
	if edges == nil {
		edges = []*indicatorEdge{}
	}
	return &edges
}

type indicatorEdge struct {
	cursor string
	node   *indicatorResolver
}

func (e *indicatorEdge) Cursor() string           { return e.cursor }
func (e *indicatorEdge) Node() *indicatorResolver { return e.node }

type observableConnection struct {
	info  *pageInfo
	edges []*observableEdge
}

func (c *observableConnection) PageInfo() *pageInfo { return c.info }
func (c *observableConnection) Edges() []*observableEdge {
	if c.edges == nil {
		return []*observableEdge{}
	}
	return c.edges
}

type observableEdge struct {
	cursor string
	node   *observableResolver
}

func (e *observableEdge) Cursor() string            { return e.cursor }
func (e *observableEdge) Node() *observableResolver { return e.node }

type relationshipConnection struct {
	info  *pageInfo
	edges []*relationshipEdge
}

func (c *relationshipConnection) PageInfo() *pageInfo { return c.info }
func (c *relationshipConnection) Edges() []*relationshipEdge {
	if c.edges == nil {
		return []*relationshipEdge{}
	}
	return c.edges
}

type relationshipEdge struct {
	cursor string
	node   *relationshipResolver
}

func (e *relationshipEdge) Cursor() string              { return e.cursor }
func (e *relationshipEdge) Node() *relationshipResolver { return e.node }

type relationshipResolver struct {
	rel *relationship
	e   *env
}

func (r *relationshipResolver) ID() graphql.ID           { return graphql.ID(r.rel.internalID) }
func (r *relationshipResolver) StandardID() string       { return r.rel.standardID }
func (r *relationshipResolver) EntityType() string       { return r.rel.entityType }
func (r *relationshipResolver) RelationshipType() string { return r.rel.relationshipType }
func (r *relationshipResolver) Description() *string     { return r.rel.description }
func (r *relationshipResolver) From() *relationEnd       { return &relationEnd{r.rel.from, r.e} }
func (r *relationshipResolver) FromID() string           { return r.rel.from.base().internalID }
func (r *relationshipResolver) FromType() string         { return r.rel.from.base().entityType }
func (r *relationshipResolver) To() *relationEnd         { return &relationEnd{r.rel.to, r.e} }
func (r *relationshipResolver) ToID() string             { return r.rel.to.base().internalID }
func (r *relationshipResolver) ToType() string           { return r.rel.to.base().entityType }

// relationEnd is the union StixObjectOrStixRelationshipOrCreator.
type relationEnd struct {
	n node
	e *env
}

func (r *relationEnd) observable(entityType string) (*observableResolver, bool) {
	if o, ok := r.n.(*observable); ok && o.entityType == entityType {
		return &observableResolver{o, r.e}, true
	}
	return nil, false
}

func (r *relationEnd) ToIPv4Addr() (*observableResolver, bool)   { return r.observable("IPv4-Addr") }
func (r *relationEnd) ToIPv6Addr() (*observableResolver, bool)   { return r.observable("IPv6-Addr") }
func (r *relationEnd) ToDomainName() (*observableResolver, bool) { return r.observable("Domain-Name") }
func (r *relationEnd) ToHostname() (*observableResolver, bool)   { return r.observable("Hostname") }
func (r *relationEnd) ToUrl() (*observableResolver, bool)        { return r.observable("Url") }
func (r *relationEnd) ToEmailAddr() (*observableResolver, bool)  { return r.observable("Email-Addr") }
func (r *relationEnd) ToStixFile() (*observableResolver, bool)   { return r.observable("StixFile") }
func (r *relationEnd) ToIndicator() (*indicatorResolver, bool) {
	in, ok := r.n.(*indicator)
	if !ok {
		return nil, false
	}
	return &indicatorResolver{in, r.e}, true
}

// identityResolver is the Identity interface: an Individual when the
// identity_class says so, an Organization otherwise.
type identityResolver struct{ id *identity }

func (r *identityResolver) ID() graphql.ID     { return graphql.ID(r.id.internalID) }
func (r *identityResolver) StandardID() string { return r.id.standardID }
func (r *identityResolver) Name() string       { return r.id.name }
func (r *identityResolver) ToOrganization() (*identityResolver, bool) {
	return r, r.id.class != "individual"
}
func (r *identityResolver) ToIndividual() (*identityResolver, bool) {
	return r, r.id.class == "individual"
}

type markingResolver struct{ m *marking }

func (r *markingResolver) ID() graphql.ID          { return graphql.ID(r.m.internalID) }
func (r *markingResolver) StandardID() string      { return r.m.standardID }
func (r *markingResolver) DefinitionType() *string { return &r.m.definitionType }
func (r *markingResolver) Definition() *string     { return &r.m.definition }

type labelResolver struct{ value string }

func (r *labelResolver) Value() *string { return &r.value }

type externalReferenceConnection struct {
	info  *pageInfo
	edges []*externalReferenceEdge
}

func (c *externalReferenceConnection) PageInfo() *pageInfo { return c.info }

func (c *externalReferenceConnection) Edges() []*externalReferenceEdge {
	if c.edges == nil {
		return []*externalReferenceEdge{}
	}
	return c.edges
}

type externalReferenceEdge struct{ node *externalReferenceResolver }

func (e *externalReferenceEdge) Node() *externalReferenceResolver { return e.node }

type externalReferenceResolver struct{ r *stix.ExternalReference }

func (r *externalReferenceResolver) SourceName() string   { return r.r.SourceName }
func (r *externalReferenceResolver) Description() *string { return optString(r.r.Description) }
func (r *externalReferenceResolver) URL() *string         { return optString(r.r.URL) }
func (r *externalReferenceResolver) ExternalID() *string  { return optString(r.r.ExternalID) }
