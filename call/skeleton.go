package call

import (
	"encoding/json"
	"fmt"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/schema"
)

// Skeleton returns a JSON body for the operation with its required fields
// filled (examples, defaults, first enum value, typed samples), indented
// for editing. An operation without a body schema gives {}.
func Skeleton(conn *catalog.Connector, op *catalog.Operation) ([]byte, error) {
	return skeleton(conn, op, true)
}

// FullSkeleton is Skeleton with every property, required or not: a
// template showing all that the body may hold.
func FullSkeleton(conn *catalog.Connector, op *catalog.Operation) ([]byte, error) {
	return skeleton(conn, op, false)
}

func skeleton(conn *catalog.Connector, op *catalog.Operation, requiredOnly bool) ([]byte, error) {
	raw := op.BodySchema()
	if len(raw) == 0 {
		return []byte("{}"), nil
	}
	s, err := schema.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("body schema of %s/%s: %w", conn.ID, op.ID, err)
	}
	s = schema.Resolve(s, conn.Definitions, 0)
	v := schema.Sample(s, schema.SampleOptions{RequiredOnly: requiredOnly, Request: true})
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("body skeleton of %s/%s: %w", conn.ID, op.ID, err)
	}
	return b, nil
}

// SampleParams returns a value for every required non-body parameter that
// has no default (from schema.ParamSample: first enum value, typed sample):
// enough for Build to succeed with sample data, as a form's starting
// values or a mock round trip.
func SampleParams(op *catalog.Operation) map[string]string {
	out := map[string]string{}
	for i := range op.Parameters {
		p := &op.Parameters[i]
		if p.In == catalog.InBody || !p.Mandatory() {
			continue
		}
		if d, ok := schema.ParamDefault(p); ok && (d != "" || p.In != catalog.InPath) {
			continue
		}
		v := schema.ParamSample(p)
		if v == "" && p.In == catalog.InPath {
			v = schema.SampleString
		}
		out[p.Key] = v
	}
	return out
}
