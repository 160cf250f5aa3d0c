package openctitest

import (
	"errors"

	gqlerrors "github.com/graph-gophers/graphql-go/errors"
)

// Error codes of OpenCTI (extensions.code) that the fake returns.
const (
	codeAuthRequired     = "AUTH_REQUIRED"
	codeUnsupported      = "UNSUPPORTED_ERROR"
	codeFunctional       = "FUNCTIONAL_ERROR"
	codeValidationFailed = "GRAPHQL_VALIDATION_FAILED"
	codeParseFailed      = "GRAPHQL_PARSE_FAILED"
	codeBadUserInput     = "BAD_USER_INPUT"
	codeBadRequest       = "BAD_REQUEST"
	codeInternal         = "INTERNAL_SERVER_ERROR"
)

// apiError is an error a resolver returns; the engine copies Extensions into
// the response, as OpenCTI reports its errors.
type apiError struct {
	code string
	msg  string
	data map[string]any
}

func (e *apiError) Error() string { return e.msg }

// Extensions is read by the engine through an interface.
func (e *apiError) Extensions() map[string]any {
	ext := map[string]any{"code": e.code}
	if e.data != nil {
		ext["data"] = e.data
	}
	return ext
}

var errAuthRequired = &apiError{code: codeAuthRequired, msg: "You must be logged in to do this."}

// wireError is one entry of the errors array of a response.
type wireError struct {
	Message    string               `json:"message"`
	Locations  []gqlerrors.Location `json:"locations,omitempty"`
	Path       []any                `json:"path,omitempty"`
	Extensions map[string]any       `json:"extensions"`
}

// toWire gives an engine error the code a real OpenCTI (an Apollo server)
// would: documents that do not parse, GRAPHQL_PARSE_FAILED; documents
// that are not valid against the schema, GRAPHQL_VALIDATION_FAILED;
// variables of the wrong type, BAD_USER_INPUT; errors of resolvers keep
// theirs. executed says whether the engine got past validation.
func toWire(qe *gqlerrors.QueryError, executed bool) wireError {
	w := wireError{Message: qe.Message, Locations: qe.Locations, Path: qe.Path, Extensions: qe.Extensions}
	if _, ok := w.Extensions["code"]; ok {
		return w
	}
	code := codeValidationFailed
	switch {
	case errors.Is(qe.Err, gqlerrors.ErrSyntax):
		code = codeParseFailed
	case qe.Rule == "VariablesOfCorrectType":
		code = codeBadUserInput
	case qe.ResolverError != nil || len(qe.Path) > 0:
		code = codeInternal // a panic or an error without code: a bug of the fake
	case executed:
		// Past validation, an error outside any field is the engine failing
		// to coerce an argument from the variables.
		code = codeBadUserInput
	}
	w.Extensions = map[string]any{"code": code}
	return w
}
