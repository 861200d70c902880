package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/schema"
)

// problem is one reason to reject a request.
type problem struct {
	msg, param, in string
}

// check validates the request against the candidate's operation.
func (h *handler) check(c candidate, r *http.Request, body []byte) []problem {
	op := c.route.op
	plan := c.route.plan(h.res)
	var out []problem
	add := func(p *catalog.Parameter, msg string) {
		out = append(out, problem{msg: msg, param: p.Key, in: p.In})
	}
	query := r.URL.Query()
	var form *formValues
	for i := range op.Parameters {
		p := &op.Parameters[i]
		var values []string
		switch p.In {
		case catalog.InPath:
			v, ok := c.params[p.Key]
			if !ok {
				continue // not in the template: nothing the mock can check
			}
			values = []string{v}
		case catalog.InQuery:
			values = query[p.Key]
		case catalog.InHeader:
			values = r.Header.Values(p.Key)
		case catalog.InFormData:
			if form == nil {
				var bad string
				if form, bad = parseForm(r, body); bad != "" {
					out = append(out, problem{msg: bad, param: "Content-Type", in: catalog.InHeader})
				}
			}
			if p.Type == "file" {
				if form.has(p.Key) {
					continue
				}
				values = nil
			} else {
				values = form.values(p.Key)
			}
		default: // the body (checked below) or a place unknown to the mock
			continue
		}
		// An empty path segment is a missing value; an empty query,
		// header or form value is a value (an empty string).
		if len(values) == 0 || (p.In == catalog.InPath && allEmpty(values)) {
			if p.Required {
				add(p, fmt.Sprintf("missing required %s parameter %q", inName(p.In), p.Key))
			}
			continue
		}
		for _, v := range values {
			if err := schema.CheckParam(p, v); err != nil {
				add(p, fmt.Sprintf("%s parameter %q %s", inName(p.In), p.Key, err.Error()))
				break
			}
		}
	}
	if op.HasBody() {
		out = append(out, h.checkBody(op, plan.body, r, body)...)
	}
	return out
}

func (h *handler) checkBody(op *catalog.Operation, s *schema.Schema, r *http.Request, body []byte) []problem {
	key, required := op.BodyKey(), false
	if bp := op.BodyParameter(); bp != nil {
		required = bp.Required
	}
	bad := func(msg string) problem { return problem{msg: msg, param: key, in: catalog.InBody} }
	if len(bytes.TrimSpace(body)) == 0 {
		if required {
			return []problem{bad(fmt.Sprintf("missing required body parameter %q", key))}
		}
		return nil
	}
	if !expectsJSON(op, r) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []problem{bad(fmt.Sprintf("request body is not valid JSON: %s", jsonErr(err, dec)))}
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		return []problem{bad(fmt.Sprintf("request body is not valid JSON: data after the JSON value (at byte %d)", end))}
	}
	var out []problem
	for _, p := range schema.Validate(s, v) {
		out = append(out, bad(bodyMessage(p)))
	}
	return out
}

// bodyMessage turns a schema problem into a message about the body.
func bodyMessage(p schema.Problem) string {
	switch {
	case p.Kind == schema.ProblemRequired:
		return fmt.Sprintf("missing required body property %q", p.Path)
	case p.Path == "":
		return "request body " + p.Message
	}
	return fmt.Sprintf("body property %q %s", p.Path, p.Message)
}

func jsonErr(err error, dec *json.Decoder) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%s (at byte %d)", se.Error(), se.Offset)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of the body"
	}
	return fmt.Sprintf("%s (at byte %d)", err.Error(), dec.InputOffset())
}

// expectsJSON: the body is checked as JSON unless the request says it is
// something else, or the operation only consumes other types.
func expectsJSON(op *catalog.Operation, r *http.Request) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		return isJSONType(ct)
	}
	if len(op.Consumes) == 0 {
		return true
	}
	for _, c := range op.Consumes {
		if isJSONType(c) {
			return true
		}
	}
	return false
}

func isJSONType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(ct))
	}
	return mt == "application/json" || mt == "text/json" || strings.HasSuffix(mt, "+json") || mt == "*/*"
}

func inName(in string) string {
	if in == "formData" {
		return "form"
	}
	return in
}

func allEmpty(values []string) bool {
	for _, v := range values {
		if v != "" {
			return false
		}
	}
	return true
}

// formValues are the fields of a urlencoded or multipart body.
type formValues struct {
	vals  url.Values
	files map[string]bool
}

func (f *formValues) values(k string) []string { return f.vals[k] }
func (f *formValues) has(k string) bool        { return f.files[k] || len(f.vals[k]) > 0 }

// parseForm reads the form; it reports a multipart body whose
// Content-Type lacks the boundary, which no server can read.
func parseForm(r *http.Request, body []byte) (*formValues, string) {
	f := &formValues{vals: url.Values{}, files: map[string]bool{}}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if strings.HasPrefix(mt, "multipart/") && params["boundary"] == "" {
		return f, fmt.Sprintf("the Content-Type %q has no boundary parameter, so the form cannot be read", mt)
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			part, err := mr.NextPart()
			if err != nil {
				break
			}
			name := part.FormName()
			data, _ := io.ReadAll(io.LimitReader(part, DefaultMaxBody))
			if part.FileName() != "" {
				f.files[name] = true
			} else {
				f.vals.Add(name, string(data))
			}
		}
		return f, ""
	}
	if vals, err := url.ParseQuery(string(body)); err == nil {
		f.vals = vals
	}
	return f, ""
}
