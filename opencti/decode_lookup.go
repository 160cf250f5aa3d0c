package opencti

import (
	"encoding/json"
	"errors"
	"time"
)

// The generated code decodes a lookup response in many passes: each
// observable, and each end of each of its relationships, is a GraphQL
// interface whose UnmarshalJSON reads its bytes once for __typename and once
// more for the concrete type, below a first pass that keeps it raw. Every
// level re-validates the bytes below it, and each of the fourteen concrete
// types costs encoding/json a reflection walk the first time it is seen, which
// is every time in a process that handles one alert. decodeLookupResponse
// reads the same answer in one pass into the wire types below, whose fields
// are the union of the concrete types' fields with the same JSON names and Go
// types, and then builds the generated values from them.
//
// It is an accelerator, not a second decoder: anything it does not accept
// (a syntax or type error, an unknown or missing __typename) makes decodeData
// start again with the generated code, which then gives exactly the result
// and the error it always gave. Where it succeeds it gives the value the
// generated code gives (FuzzDecodeLookupResponse checks this): its types are
// a superset of the concrete types, so a value the generated code accepts for
// a concrete type, it accepts too, and a key it accepts but the concrete type
// ignores is simply not copied.

// wireLookup is a lookup response's data.
type wireLookup struct {
	StixCyberObservables struct {
		PageInfo observablePagePageInfo `json:"pageInfo"`
		Edges    []struct {
			Node wireNode `json:"node"`
		} `json:"edges"`
	} `json:"stixCyberObservables"`
	Indicators indicatorPage `json:"indicators"`
}

// wireObservable holds the fields of every implementation of
// matchedObservable.
type wireObservable struct {
	Typename              string                              `json:"__typename"`
	Id                    string                              `json:"id"`
	StandardId            string                              `json:"standard_id"`
	EntityType            string                              `json:"entity_type"`
	ObservableValue       string                              `json:"observable_value"`
	XOpenctiDescription   string                              `json:"x_opencti_description"`
	XOpenctiScore         *int                                `json:"x_opencti_score"`
	CreatedAt             time.Time                           `json:"created_at"`
	UpdatedAt             time.Time                           `json:"updated_at"`
	CreatedBy             *matchedObservableCreatedByIdentity `json:"createdBy"`
	ObjectMarking         []markingFields                     `json:"objectMarking"`
	ObjectLabel           []matchedObservableObjectLabel      `json:"objectLabel"`
	ExternalReferences    externalReferenceList               `json:"externalReferences"`
	Indicators            indicatorPage                       `json:"indicators"`
	Value                 string                              `json:"value"`
	Name                  string                              `json:"name"`
	Size                  *int                                `json:"size"`
	Hashes                []matchedObservableHashesHash       `json:"hashes"`
	StixCoreRelationships wireRelationships                   `json:"stixCoreRelationships"`
}

type wireRelationships struct {
	PageInfo matchedObservableStixCoreRelationshipsStixCoreRelationshipConnectionPageInfo `json:"pageInfo"`
	Edges    []struct {
		Node struct {
			RelationshipType string     `json:"relationship_type"`
			FromId           string     `json:"fromId"`
			ToId             string     `json:"toId"`
			From             wireEndRef `json:"from"`
			To               wireEndRef `json:"to"`
		} `json:"node"`
	} `json:"edges"`
}

// wireNode and wireEndRef decode an interface-typed field as the generated
// code does: anything but null is decoded into a new value. (Decoding into
// the pointer directly would differ when a key repeats: encoding/json
// decodes the second occurrence into what the first left, or sets it to nil
// for a null.) A null leaves the field as it was before the object that
// holds it, because the generated code keeps only the key's last occurrence
// in the object; so a null that follows a value, which only a repeated key
// makes, is left to the generated code: here it cannot be told whether the
// value came from the same object ({"node":{…},"node":null}: nil) or from an
// earlier occurrence of the array that holds it (kept).
type wireNode struct{ v *wireObservable }

func (n *wireNode) UnmarshalJSON(b []byte) error { return decodeNew(b, &n.v) }

type wireEndRef struct{ v *wireEnd }

func (r *wireEndRef) UnmarshalJSON(b []byte) error { return decodeNew(b, &r.v) }

func decodeNew[T any](b []byte, dst **T) error {
	if string(b) == "null" {
		if *dst != nil {
			return errNotDecoded
		}
		return nil
	}
	v := new(T)
	if err := json.Unmarshal(b, v); err != nil {
		return err
	}
	*dst = v
	return nil
}

// wireEnd holds the fields of every implementation of relatedEnd.
type wireEnd struct {
	Typename        string        `json:"__typename"`
	Id              string        `json:"id"`
	StandardId      string        `json:"standard_id"`
	EntityType      string        `json:"entity_type"`
	ObservableValue string        `json:"observable_value"`
	XOpenctiScore   *int          `json:"x_opencti_score"`
	Indicators      indicatorPage `json:"indicators"`
	Value           string        `json:"value"`
}

// errNotDecoded makes decodeData fall back to the generated code.
var errNotDecoded = errors.New("opencti: not a lookup response the one-pass decoder takes")

// decodeData decodes the data of a response into v, a pointer to a generated
// response type.
func decodeData(data []byte, v any) error {
	if lr, ok := v.(*lookupResponse); ok {
		if decodeLookupResponse(data, lr) == nil {
			return nil
		}
		*lr = lookupResponse{}
	}
	return json.Unmarshal(data, v)
}

// decodeLookupResponse decodes data in one pass; on error v is left partly
// filled and must be reset.
func decodeLookupResponse(data []byte, v *lookupResponse) error {
	var w wireLookup
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	v.StixCyberObservables.PageInfo = w.StixCyberObservables.PageInfo
	if edges := w.StixCyberObservables.Edges; edges != nil {
		v.StixCyberObservables.Edges = make([]observablePageEdgesStixCyberObservableEdge, len(edges))
		for i, e := range edges {
			if e.Node.v == nil {
				continue
			}
			n, err := e.Node.v.matched()
			if err != nil {
				return err
			}
			v.StixCyberObservables.Edges[i].Node = n
		}
	}
	v.Indicators = w.Indicators
	return nil
}

// matched builds the generated implementation of matchedObservable for the
// node's __typename. The implementations other than StixFile have the same
// fields, so one is built and converted to the others.
func (o *wireObservable) matched() (matchedObservable, error) {
	rels, err := o.StixCoreRelationships.generated()
	if err != nil {
		return nil, err
	}
	if o.Typename == "StixFile" {
		return &matchedObservableStixFile{
			Id: o.Id, StandardId: o.StandardId, EntityType: o.EntityType, ObservableValue: o.ObservableValue,
			XOpenctiDescription: o.XOpenctiDescription, XOpenctiScore: o.XOpenctiScore,
			CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, CreatedBy: o.CreatedBy,
			ObjectMarking: o.ObjectMarking, ObjectLabel: o.ObjectLabel, ExternalReferences: o.ExternalReferences,
			Indicators: o.Indicators, Name: o.Name, Size: o.Size, Hashes: o.Hashes, StixCoreRelationships: rels,
		}, nil
	}
	n := matchedObservableDomainName{
		Id: o.Id, StandardId: o.StandardId, EntityType: o.EntityType, ObservableValue: o.ObservableValue,
		XOpenctiDescription: o.XOpenctiDescription, XOpenctiScore: o.XOpenctiScore,
		CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, CreatedBy: o.CreatedBy,
		ObjectMarking: o.ObjectMarking, ObjectLabel: o.ObjectLabel, ExternalReferences: o.ExternalReferences,
		Indicators: o.Indicators, Value: o.Value, StixCoreRelationships: rels,
	}
	switch o.Typename {
	case "DomainName":
		return &n, nil
	case "EmailAddr":
		return ptrTo(matchedObservableEmailAddr(n)), nil
	case "Hostname":
		return ptrTo(matchedObservableHostname(n)), nil
	case "IPv4Addr":
		return ptrTo(matchedObservableIPv4Addr(n)), nil
	case "IPv6Addr":
		return ptrTo(matchedObservableIPv6Addr(n)), nil
	case "Url":
		return ptrTo(matchedObservableUrl(n)), nil
	}
	return nil, errNotDecoded
}

func (r *wireRelationships) generated() (matchedObservableStixCoreRelationshipsStixCoreRelationshipConnection, error) {
	out := matchedObservableStixCoreRelationshipsStixCoreRelationshipConnection{PageInfo: r.PageInfo}
	if r.Edges == nil {
		return out, nil
	}
	out.Edges = make([]matchedObservableStixCoreRelationshipsStixCoreRelationshipConnectionEdgesStixCoreRelationshipEdge, len(r.Edges))
	for i, e := range r.Edges {
		n := &out.Edges[i].Node
		n.RelationshipType, n.FromId, n.ToId = e.Node.RelationshipType, e.Node.FromId, e.Node.ToId
		var err error
		if n.From, err = e.Node.From.v.related(); err != nil {
			return out, err
		}
		if n.To, err = e.Node.To.v.related(); err != nil {
			return out, err
		}
	}
	return out, nil
}

// related builds the generated implementation of relatedEnd for the end's
// __typename; a missing end stays nil.
func (e *wireEnd) related() (relatedEnd, error) {
	if e == nil {
		return nil, nil
	}
	if e.Typename == "StixFile" {
		return &relatedEndStixFile{
			Id: e.Id, StandardId: e.StandardId, EntityType: e.EntityType, ObservableValue: e.ObservableValue,
			XOpenctiScore: e.XOpenctiScore, Indicators: e.Indicators,
		}, nil
	}
	r := relatedEndDomainName{
		Id: e.Id, StandardId: e.StandardId, EntityType: e.EntityType, ObservableValue: e.ObservableValue,
		XOpenctiScore: e.XOpenctiScore, Indicators: e.Indicators, Value: e.Value,
	}
	switch e.Typename {
	case "DomainName":
		return &r, nil
	case "EmailAddr":
		return ptrTo(relatedEndEmailAddr(r)), nil
	case "Hostname":
		return ptrTo(relatedEndHostname(r)), nil
	case "IPv4Addr":
		return ptrTo(relatedEndIPv4Addr(r)), nil
	case "IPv6Addr":
		return ptrTo(relatedEndIPv6Addr(r)), nil
	case "Url":
		return ptrTo(relatedEndUrl(r)), nil
	}
	return nil, errNotDecoded
}

func ptrTo[T any](v T) *T { return &v }
