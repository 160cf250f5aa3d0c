package opencti

import _ "embed"

//go:embed schema.graphql
var schema string

// Schema returns the text of schema.graphql: the subset of OpenCTI's GraphQL
// schema that this package's operations are written and validated against.
// Package openctitest serves it, so that a query the client can send is one
// the fake server can execute.
func Schema() string { return schema }
