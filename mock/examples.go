package mock

import (
	"encoding/json"
	"net/url"
	"strings"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/schema"
)

// Example is a request the mock accepts, built from an operation's
// definition with sample values: for showing learners what to send.
type Example struct {
	Operation string            `json:"operation"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers,omitempty"`
	Body      string            `json:"body,omitempty"`
}

// Examples returns up to n example requests against a mock at origin
// (scheme://host:port), one per operation in definition order, skipping
// internal and deprecated operations and those that need a file upload.
func Examples(conn *catalog.Connector, origin string, n int) []Example {
	res := schema.NewResolver(conn.Definitions)
	var out []Example
	for _, op := range conn.Operations {
		if len(out) >= n {
			break
		}
		if op == nil || op.Method == "" || op.Path == "" || op.Deprecated || op.Visibility == catalog.VisibilityInternal {
			continue
		}
		if ex, ok := example(conn, op, origin, res); ok {
			out = append(out, ex)
		}
	}
	return out
}

func example(conn *catalog.Connector, op *catalog.Operation, origin string, res *schema.Resolver) (Example, bool) {
	ex := Example{Operation: op.ID, Method: strings.ToUpper(op.Method)}
	path := op.Path
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	var query, form url.Values
	for i := range op.Parameters {
		p := &op.Parameters[i]
		if p.In == catalog.InBody || !p.Mandatory() {
			continue
		}
		v := schema.ParamSample(p)
		switch p.In {
		case catalog.InPath:
			path = strings.ReplaceAll(path, "{"+p.Key+"}", url.PathEscape(v))
		case catalog.InQuery:
			if query == nil {
				query = url.Values{}
			}
			query.Add(p.Key, v)
		case catalog.InHeader:
			if ex.Headers == nil {
				ex.Headers = map[string]string{}
			}
			ex.Headers[p.Key] = v
		case catalog.InFormData:
			if p.Type == "file" {
				return Example{}, false
			}
			if form == nil {
				form = url.Values{}
			}
			form.Add(p.Key, v)
		}
	}
	if strings.Contains(path, "{") {
		return Example{}, false // a placeholder the definition does not declare
	}
	base := strings.TrimRight(origin, "/")
	if bp := strings.Trim(conn.BasePath, "/"); bp != "" {
		base += "/" + bp
	}
	ex.URL = base + "/" + strings.TrimLeft(path, "/")
	if len(query) > 0 {
		ex.URL += "?" + query.Encode()
	}
	setHeader := func(k, v string) {
		if ex.Headers == nil {
			ex.Headers = map[string]string{}
		}
		if _, ok := ex.Headers[k]; !ok {
			ex.Headers[k] = v
		}
	}
	bodyParam := op.BodyParameter()
	switch {
	case form != nil:
		setHeader("Content-Type", "application/x-www-form-urlencoded")
		ex.Body = form.Encode()
	case bodyParam != nil && bodyParam.Required || len(op.Body) > 0 && bodyParam == nil:
		s, err := res.Parse(op.BodySchema(), 0)
		if err != nil {
			return Example{}, false
		}
		b, err := json.Marshal(schema.Sample(s, schema.SampleOptions{RequiredOnly: true, Request: true}))
		if err != nil {
			return Example{}, false
		}
		setHeader("Content-Type", "application/json")
		ex.Body = string(b)
	}
	return ex, true
}
