package catalog

import "testing"

func TestBodyHelpers(t *testing.T) {
	t.Parallel()
	withParam := &Operation{Parameters: []Parameter{
		{Key: "id", In: InPath},
		{Key: "payload", In: InBody, Required: true, Schema: []byte(`{"type":"object"}`)},
		{Key: "second", In: InBody, Schema: []byte(`{"type":"string"}`)},
	}}
	if p := withParam.BodyParameter(); p == nil || p.Key != "payload" {
		t.Fatalf("BodyParameter = %+v, want the first body parameter, payload", p)
	}
	if got := string(withParam.BodySchema()); got != `{"type":"object"}` {
		t.Errorf("BodySchema = %s, want the body parameter's schema", got)
	}
	if !withParam.HasBody() || withParam.BodyKey() != "payload" {
		t.Errorf("HasBody, BodyKey = %v, %q; want true, payload", withParam.HasBody(), withParam.BodyKey())
	}

	withBody := &Operation{Body: []byte(`{"type":"array"}`), Parameters: withParam.Parameters[1:2]}
	if got := string(withBody.BodySchema()); got != `{"type":"array"}` {
		t.Errorf("BodySchema = %s, want Operation.Body over the parameter's", got)
	}
	onlyBody := &Operation{Body: []byte(`{}`)}
	if onlyBody.BodyParameter() != nil || !onlyBody.HasBody() || onlyBody.BodyKey() != "body" {
		t.Errorf("schema without parameter: %v %v %q", onlyBody.BodyParameter(), onlyBody.HasBody(), onlyBody.BodyKey())
	}

	none := &Operation{Parameters: []Parameter{{Key: "q", In: InQuery}, {Key: "f", In: InFormData}}}
	if none.HasBody() || none.BodySchema() != nil || none.BodyKey() != "body" {
		t.Errorf("no body: %v %s %q", none.HasBody(), none.BodySchema(), none.BodyKey())
	}
	if !none.HasFormParameters() || withParam.HasFormParameters() {
		t.Errorf("HasFormParameters = %v, %v; want true, false", none.HasFormParameters(), withParam.HasFormParameters())
	}
}

func TestMandatory(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		p    Parameter
		want bool
	}{
		{Parameter{In: InPath}, true},
		{Parameter{In: InQuery}, false},
		{Parameter{In: InQuery, Required: true}, true},
		{Parameter{In: InHeader, Required: true}, true},
	} {
		if got := c.p.Mandatory(); got != c.want {
			t.Errorf("%+v.Mandatory() = %v, want %v", c.p, got, c.want)
		}
	}
}
