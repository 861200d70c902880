package catalog

import "encoding/json"

// Where a parameter travels in a request (Parameter.In and AuthType.In), as
// Swagger 2.0 names the places. They are untyped so that they compare with
// the model's string fields as they are read from disk and definitions.
const (
	InPath     = "path"
	InQuery    = "query"
	InHeader   = "header"
	InBody     = "body"
	InFormData = "formData"
)

// BodyParameter returns op's body parameter (the one with In "body"), nil
// when op has none. Swagger allows one; the first wins.
func (op *Operation) BodyParameter() *Parameter {
	for i := range op.Parameters {
		if op.Parameters[i].In == InBody {
			return &op.Parameters[i]
		}
	}
	return nil
}

// BodySchema returns op's raw request body schema: Body, else the body
// parameter's schema; nil when neither is known.
func (op *Operation) BodySchema() json.RawMessage {
	if len(op.Body) > 0 {
		return op.Body
	}
	if p := op.BodyParameter(); p != nil {
		return p.Schema
	}
	return nil
}

// HasBody reports whether op takes a request body: it has a body
// parameter or a body schema.
func (op *Operation) HasBody() bool {
	return len(op.Body) > 0 || op.BodyParameter() != nil
}

// BodyKey is the name a body is reported under (a problem with it, a form
// field for it): the body parameter's key, else "body".
func (op *Operation) BodyKey() string {
	if p := op.BodyParameter(); p != nil {
		return p.Key
	}
	return InBody
}

// HasFormParameters reports whether op takes form fields (In "formData"):
// its body is then a form, not JSON.
func (op *Operation) HasFormParameters() bool {
	for i := range op.Parameters {
		if op.Parameters[i].In == InFormData {
			return true
		}
	}
	return false
}

// Mandatory reports whether a call must give p a value: a required
// parameter, and every path parameter (an empty path segment is no
// value), whatever the definition says.
func (p *Parameter) Mandatory() bool {
	return p.Required || p.In == InPath
}
