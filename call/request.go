// Package call is the test-call engine: it builds the exact HTTP request of
// a connector operation, authenticates it the way the connector declares,
// sends it under a strict redirect, TLS, timeout and size policy, exports it
// as curl, and keeps a redacted history. It has no UI code: the CLI and the
// TUI both drive it.
package call

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/connex-dev/connex/catalog"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrInvalidInput wraps every validation problem found before sending.
	ErrInvalidInput = errors.New("invalid input")
	// ErrNoHost: the connector declares no host and no base URL was given.
	ErrNoHost = errors.New("no host to send to")
	// ErrNotCallable: the operation has no method or path.
	ErrNotCallable = errors.New("operation cannot be called")
)

// UserAgent is sent with every request.
const UserAgent = "connex"

// Input is what a user fills in for one call.
type Input struct {
	// Params are parameter values by wire name (Parameter.Key); the display
	// name (Parameter.Name) is accepted too.
	Params map[string]string
	// Body is the request body. Nil means: the body skeleton when the body
	// is required, no body otherwise.
	Body []byte
	// Auth are the credentials; nil sends none.
	Auth *Credentials
	// BaseURL overrides the connector's scheme and host (a mock, a proxy).
	// A BaseURL with a path replaces the connector's base path too.
	BaseURL string
	// Boundary fixes the multipart boundary (tests); empty picks a random one.
	Boundary string
	// Rebind sends the credentials even where they are not bound: to
	// another host than the one their profile was saved for, or over http
	// when it was https (the CLI's --rebind; the explorer asks). Without
	// it Build refuses with ErrRebind and nothing is sent. To keep the
	// new host, save it with secrets.Store.Bind (Request.Target).
	Rebind bool
	// Insecure allows credentials over plain http to a host that is not
	// this machine (the CLI's --insecure); without it Build refuses with
	// ErrPlainHTTP.
	Insecure bool
}

// Request is a built request: everything needed to send it, preview it or
// export it, and to know which parts are secret.
type Request struct {
	Method      string
	URL         *url.URL
	Header      http.Header
	Body        []byte
	ConnectorID string
	OperationID string
	// SecretHeaders and SecretQuery name the headers and query parameters
	// that carry credentials: masked in every output, dropped on a
	// redirect to another origin.
	SecretHeaders []string
	SecretQuery   []string
	// AuthType is the kind of credentials applied ("" when none).
	AuthType string

	// secrets are the raw secret values, scrubbed from any text that is
	// stored or printed (a server may echo them back).
	secrets []string
}

// ParamError is one problem with one parameter.
type ParamError struct {
	Param   string // wire name
	In      string // path, query, header, formData, body
	Problem string
}

func (e *ParamError) Error() string {
	if e.In == "" {
		return fmt.Sprintf("parameter %q: %s", e.Param, e.Problem)
	}
	return fmt.Sprintf("parameter %q (%s): %s", e.Param, e.In, e.Problem)
}

// ValidationError lists every problem found in an Input, so a form can mark
// each field at once. It matches ErrInvalidInput.
type ValidationError struct {
	Problems []*ParamError
}

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "; ")
}

func (e *ValidationError) Is(target error) bool { return target == ErrInvalidInput }

// For returns the problem of one parameter, or nil.
func (e *ValidationError) For(key string) *ParamError {
	for _, p := range e.Problems {
		if p.Param == key {
			return p
		}
	}
	return nil
}

// Build makes the exact HTTP request for op from in. Every problem with the
// input is reported (as a *ValidationError naming each parameter) before
// anything could be sent.
func Build(conn *catalog.Connector, op *catalog.Operation, in Input) (*Request, error) {
	if conn == nil || op == nil {
		return nil, fmt.Errorf("build request: %w: no connector or operation", ErrNotCallable)
	}
	if op.Method == "" || op.Path == "" {
		return nil, fmt.Errorf("build request %s/%s: %w: the definition gives no method or path (it may come from the reference site only; import the connector's definition)",
			conn.ID, op.ID, ErrNotCallable)
	}
	values, verr := resolveParams(op, in.Params)

	var problems []*ParamError
	if verr != nil {
		problems = append(problems, verr.Problems...)
	}
	path, perr := expandPath(op, values)
	problems = append(problems, perr...)

	base, err := baseURL(conn, in.BaseURL)
	if err != nil {
		return nil, err
	}
	// Before anything else: credentials never go where they are not bound.
	if err := checkBinding(conn, base, in); err != nil {
		return nil, err
	}

	req := &Request{
		Method:      strings.ToUpper(op.Method),
		Header:      http.Header{},
		ConnectorID: conn.ID,
		OperationID: op.ID,
	}
	rawURL := base + path
	var query []string
	var form []formField
	for _, p := range op.Parameters {
		v, ok := values[p.Key]
		if !ok {
			continue
		}
		switch p.In {
		case catalog.InQuery:
			for _, item := range v.items {
				query = append(query, url.QueryEscape(p.Key)+"="+url.QueryEscape(item))
			}
		case catalog.InHeader:
			req.Header.Set(p.Key, strings.Join(v.items, ","))
		case catalog.InFormData:
			form = append(form, formField{key: p.Key, value: strings.Join(v.items, ","), file: p.Type == "file"})
		}
	}

	// Body.
	bodyParam := op.BodyParameter()
	var body []byte
	var contentType string
	switch {
	case len(form) > 0 || op.HasFormParameters():
		body, contentType, err = encodeForm(op, form, req.Header.Get("Content-Type"), in.Boundary)
		if err != nil {
			return nil, fmt.Errorf("build request %s/%s: %w", conn.ID, op.ID, err)
		}
	case op.HasBody():
		body = in.Body
		required := bodyParam != nil && bodyParam.Required
		if body == nil && required {
			body, err = Skeleton(conn, op)
			if err != nil {
				return nil, fmt.Errorf("build request %s/%s: body skeleton: %w", conn.ID, op.ID, err)
			}
		}
		if body != nil {
			contentType = firstOr(op.Consumes, "application/json")
			if isJSONType(contentType) && !json.Valid(body) {
				problems = append(problems, &ParamError{Param: op.BodyKey(), In: catalog.InBody, Problem: "is not valid JSON (" + jsonProblem(body) + ")"})
			}
		}
	case in.Body != nil:
		problems = append(problems, &ParamError{Param: catalog.InBody, In: catalog.InBody, Problem: "this operation takes no body"})
	}
	if len(problems) > 0 {
		return nil, &ValidationError{Problems: problems}
	}
	req.Body = body
	if contentType != "" {
		// A Content-Type parameter of the definition wins, except over
		// a multipart body, whose boundary only the encoder knows.
		declared := req.Header.Get("Content-Type")
		if declared == "" || strings.HasPrefix(contentType, "multipart/") || sameMediaType(declared, contentType) {
			req.Header.Set("Content-Type", contentType)
		}
	}
	// Accept from "produces", unless the definition declares an Accept
	// parameter (often with an enum of its own): then the server assumes
	// that parameter's default when it is not given.
	if len(op.Produces) > 0 && req.Header.Get("Accept") == "" && !declaresHeader(op, "Accept") {
		req.Header.Set("Accept", strings.Join(op.Produces, ", "))
	}
	req.Header.Set("User-Agent", UserAgent)

	if in.Auth != nil {
		q, err := in.Auth.apply(conn, req)
		if err != nil {
			return nil, fmt.Errorf("build request %s/%s: %w", conn.ID, op.ID, err)
		}
		query = append(query, q...)
	}
	if len(query) > 0 {
		rawURL += "?" + strings.Join(query, "&")
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("build request %s/%s: URL %q: %w", conn.ID, op.ID, rawURL, err)
	}
	req.URL = u
	return req, nil
}

// HTTPRequest turns the built request into a *http.Request bound to ctx.
func (r *Request) HTTPRequest(ctx context.Context) (*http.Request, error) {
	var body *bytes.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	var hr *http.Request
	var err error
	if body != nil {
		hr, err = http.NewRequestWithContext(ctx, r.Method, r.URL.String(), body)
	} else {
		hr, err = http.NewRequestWithContext(ctx, r.Method, r.URL.String(), nil)
	}
	if err != nil {
		return nil, fmt.Errorf("request %s %s: %w", r.Method, r.MaskedURL(), err)
	}
	hr.Header = r.Header.Clone()
	return hr, nil
}

// Clone returns a deep copy.
func (r *Request) Clone() *Request {
	c := *r
	u := *r.URL
	c.URL = &u
	c.Header = r.Header.Clone()
	c.Body = append([]byte(nil), r.Body...)
	if r.Body == nil {
		c.Body = nil
	}
	c.SecretHeaders = append([]string(nil), r.SecretHeaders...)
	c.SecretQuery = append([]string(nil), r.SecretQuery...)
	c.secrets = append([]string(nil), r.secrets...)
	return &c
}

// paramValue is a parameter's value, split into items for arrays.
type paramValue struct{ items []string }

// resolveParams matches the user's values to the operation's parameters,
// fills defaults, and validates types and enums.
func resolveParams(op *catalog.Operation, given map[string]string) (map[string]paramValue, *ValidationError) {
	out := make(map[string]paramValue)
	var problems []*ParamError
	byKey := make(map[string]*catalog.Parameter, len(op.Parameters))
	for i := range op.Parameters {
		p := &op.Parameters[i]
		if p.In == catalog.InBody {
			continue
		}
		byKey[p.Key] = p
	}
	seen := make(map[string]string)
	// Sorted so that the problems come out in a stable order.
	names := make([]string, 0, len(given))
	for k := range given {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, name := range names {
		p := byKey[name]
		if p == nil {
			for i := range op.Parameters {
				q := &op.Parameters[i]
				if q.In != catalog.InBody && (strings.EqualFold(q.Key, name) || strings.EqualFold(q.Name, name)) {
					p = q
					break
				}
			}
		}
		if p == nil {
			problems = append(problems, &ParamError{Param: name, Problem: "unknown parameter; this operation takes " + paramList(op)})
			continue
		}
		if prev, dup := seen[p.Key]; dup {
			problems = append(problems, &ParamError{Param: p.Key, In: p.In, Problem: fmt.Sprintf("given twice (as %q and %q)", prev, name)})
			continue
		}
		seen[p.Key] = name
		v, perr := checkValue(p, given[name])
		if perr != nil {
			problems = append(problems, perr)
			continue
		}
		out[p.Key] = v
	}
	for i := range op.Parameters {
		p := &op.Parameters[i]
		if p.In == catalog.InBody {
			continue
		}
		if _, ok := out[p.Key]; ok {
			continue
		}
		if _, bad := seen[p.Key]; bad {
			continue
		}
		// The platform fills defaults of required and of internal
		// parameters (makers never see the latter); optional defaults are
		// what the server assumes anyway, so they are not sent.
		// Path parameters are required whatever the definition says: the
		// URL cannot be built without them.
		required := p.Mandatory()
		if p.Default != "" && (required || p.Visibility == catalog.VisibilityInternal) {
			if v, perr := checkValue(p, DefaultText(p.Default)); perr == nil && (p.In != catalog.InPath || strings.Join(v.items, "") != "") {
				out[p.Key] = v
				continue
			}
		}
		if required {
			problems = append(problems, &ParamError{Param: p.Key, In: p.In, Problem: "is required" + typeHint(p)})
		}
	}
	if len(problems) > 0 {
		return out, &ValidationError{Problems: problems}
	}
	return out, nil
}

func typeHint(p *catalog.Parameter) string {
	switch {
	case len(p.Enum) > 0:
		return " (one of " + strings.Join(limitList(p.Enum, 8), ", ") + ")"
	case p.Type != "" && p.Type != "string":
		return " (" + p.Type + ")"
	}
	return ""
}

func paramList(op *catalog.Operation) string {
	var keys []string
	for _, p := range op.Parameters {
		if p.In != catalog.InBody {
			keys = append(keys, p.Key)
		}
	}
	if len(keys) == 0 {
		return "no parameters"
	}
	return strings.Join(limitList(keys, 12), ", ")
}

func limitList(s []string, n int) []string {
	if len(s) <= n {
		return s
	}
	out := append([]string(nil), s[:n]...)
	return append(out, fmt.Sprintf("... (%d more)", len(s)-n))
}

// DefaultText turns a default's JSON text into the value a user would type:
// `"open"` -> open, `20` -> 20, `true` -> true.
func DefaultText(raw string) string {
	var s string
	if json.Unmarshal([]byte(raw), &s) == nil {
		return s
	}
	var list []any
	if json.Unmarshal([]byte(raw), &list) == nil {
		items := make([]string, 0, len(list))
		for _, x := range list {
			items = append(items, fmt.Sprint(x))
		}
		return strings.Join(items, ",")
	}
	return raw
}

// checkValue parses one value by the parameter's type, format and enum.
func checkValue(p *catalog.Parameter, raw string) (paramValue, *ParamError) {
	bad := func(format string, args ...any) (paramValue, *ParamError) {
		return paramValue{}, &ParamError{Param: p.Key, In: p.In, Problem: fmt.Sprintf(format, args...)}
	}
	if p.Required && raw == "" && p.Type != "string" {
		return bad("is required and cannot be empty")
	}
	typ := p.Type
	if strings.HasPrefix(typ, "array") {
		items, err := splitArray(raw)
		if err != nil {
			return bad("%v", err)
		}
		itemType := strings.TrimSpace(strings.TrimPrefix(strings.TrimPrefix(typ, "array"), " of"))
		for _, it := range items {
			if msg := checkScalar(itemType, "", nil, it); msg != "" {
				return bad("item %q: %s", it, msg)
			}
		}
		return paramValue{items: items}, nil
	}
	if msg := checkScalar(typ, p.Format, p.Enum, raw); msg != "" {
		return bad("%s", msg)
	}
	if typ == "boolean" {
		b, _ := strconv.ParseBool(raw)
		raw = strconv.FormatBool(b)
	}
	return paramValue{items: []string{raw}}, nil
}

func checkScalar(typ, format string, enum []string, v string) string {
	switch typ {
	case "integer":
		bits := 64
		if format == "int32" {
			bits = 32
		}
		if _, err := strconv.ParseInt(v, 10, bits); err != nil {
			if format == "int32" {
				return fmt.Sprintf("%q is not a 32-bit integer", v)
			}
			return fmt.Sprintf("%q is not an integer", v)
		}
	case "number":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return fmt.Sprintf("%q is not a number", v)
		}
	case "boolean":
		switch strings.ToLower(v) {
		case "true", "false", "1", "0":
		default:
			return fmt.Sprintf("%q is not a boolean (true or false)", v)
		}
	}
	if len(enum) > 0 {
		for _, e := range enum {
			if e == v {
				return ""
			}
		}
		return fmt.Sprintf("%q is not one of %s", v, strings.Join(limitList(enum, 12), ", "))
	}
	return ""
}

// splitArray reads an array value: a JSON array, or comma-separated items.
func splitArray(raw string) ([]string, error) {
	t := strings.TrimSpace(raw)
	if strings.HasPrefix(t, "[") {
		var list []any
		if err := json.Unmarshal([]byte(t), &list); err != nil {
			return nil, fmt.Errorf("is not a JSON array (%s)", jsonProblem([]byte(t)))
		}
		out := make([]string, 0, len(list))
		for _, x := range list {
			switch x := x.(type) {
			case string:
				out = append(out, x)
			default:
				b, _ := json.Marshal(x)
				out = append(out, string(b))
			}
		}
		return out, nil
	}
	if raw == "" {
		return nil, nil
	}
	return strings.Split(raw, ","), nil
}

// expandPath fills the path template's placeholders.
func expandPath(op *catalog.Operation, values map[string]paramValue) (string, []*ParamError) {
	var problems []*ParamError
	var b strings.Builder
	rest := op.Path
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			b.WriteString(rest)
			break
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			b.WriteString(rest)
			break
		}
		b.WriteString(rest[:i])
		name := rest[i+1 : i+j]
		rest = rest[i+j+1:]
		v, ok := values[name]
		if !ok {
			if declaredPath(op, name) == nil {
				problems = append(problems, &ParamError{Param: name, In: catalog.InPath, Problem: "is in the path template but the definition does not declare it; the call cannot be built"})
			}
			// A declared one is already reported as required.
			continue
		}
		val := strings.Join(v.items, ",")
		if val == "" {
			problems = append(problems, &ParamError{Param: name, In: catalog.InPath, Problem: "cannot be empty (it is part of the path)"})
			continue
		}
		val = url.PathEscape(val)
		if p := declaredPath(op, name); p != nil && p.URLEncoding == catalog.URLEncodingDouble {
			// x-ms-url-encoding: double: the service decodes the
			// segment twice (SharePoint's site address is a URL).
			val = url.PathEscape(val)
		}
		b.WriteString(val)
	}
	return b.String(), problems
}

// declaredPath is the path parameter name of op, nil when undeclared.
func declaredPath(op *catalog.Operation, name string) *catalog.Parameter {
	for i, p := range op.Parameters {
		if p.In == catalog.InPath && p.Key == name {
			return &op.Parameters[i]
		}
	}
	return nil
}

// baseURL returns scheme://host/basePath without a trailing slash.
func baseURL(conn *catalog.Connector, override string) (string, error) {
	basePath := strings.TrimRight(conn.BasePath, "/")
	if basePath != "" && !strings.HasPrefix(basePath, "/") {
		basePath = "/" + basePath
	}
	if override != "" {
		u, err := url.Parse(override)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return "", fmt.Errorf("base URL %q: %w: want http(s)://host[:port][/path]", override, ErrInvalidInput)
		}
		if p := strings.TrimRight(u.EscapedPath(), "/"); p != "" {
			basePath = p
		}
		return u.Scheme + "://" + u.Host + basePath, nil
	}
	host := strings.TrimSpace(conn.Host)
	if host == "" {
		return "", fmt.Errorf("connector %s: %w: its definition declares no host; pass a base URL (--base-url)", conn.ID, ErrNoHost)
	}
	scheme := "https"
	if len(conn.Schemes) > 0 {
		scheme = strings.ToLower(conn.Schemes[0])
		for _, s := range conn.Schemes {
			if strings.EqualFold(s, "https") {
				scheme = "https"
			}
		}
	}
	if scheme != "http" && scheme != "https" {
		scheme = "https"
	}
	return scheme + "://" + host + basePath, nil
}

type formField struct {
	key, value string
	file       bool
}

// encodeForm encodes form fields: multipart when the operation consumes it,
// has a file parameter or declares a multipart Content-Type parameter;
// URL-encoded otherwise.
func encodeForm(op *catalog.Operation, fields []formField, declared, boundary string) ([]byte, string, error) {
	multi := strings.HasPrefix(strings.ToLower(strings.TrimSpace(declared)), "multipart/")
	for _, c := range op.Consumes {
		if strings.HasPrefix(strings.ToLower(c), "multipart/") {
			multi = true
		}
	}
	for _, p := range op.Parameters {
		if p.In == catalog.InFormData && p.Type == "file" {
			multi = true
		}
	}
	if !multi {
		parts := make([]string, 0, len(fields))
		for _, f := range fields {
			parts = append(parts, url.QueryEscape(f.key)+"="+url.QueryEscape(f.value))
		}
		return []byte(strings.Join(parts, "&")), "application/x-www-form-urlencoded", nil
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if boundary != "" {
		if err := w.SetBoundary(boundary); err != nil {
			return nil, "", fmt.Errorf("multipart boundary: %w", err)
		}
	}
	for _, f := range fields {
		var err error
		if f.file {
			var part interface{ Write([]byte) (int, error) }
			part, err = w.CreateFormFile(f.key, f.key)
			if err == nil {
				_, err = part.Write([]byte(f.value))
			}
		} else {
			err = w.WriteField(f.key, f.value)
		}
		if err != nil {
			return nil, "", fmt.Errorf("multipart field %s: %w", f.key, err)
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

func firstOr(list []string, def string) string {
	for _, s := range list {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return def
}

func isJSONType(ct string) bool {
	ct = strings.ToLower(ct)
	return strings.Contains(ct, "/json") || strings.HasSuffix(strings.SplitN(ct, ";", 2)[0], "+json")
}

// jsonProblem describes why b is not JSON, with the byte offset.
func jsonProblem(b []byte) string {
	var v any
	err := json.Unmarshal(b, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("%v at byte %d", se, se.Offset)
	}
	if err != nil {
		return err.Error()
	}
	return "invalid"
}

func declaresHeader(op *catalog.Operation, name string) bool {
	for _, p := range op.Parameters {
		if p.In == catalog.InHeader && strings.EqualFold(p.Key, name) {
			return true
		}
	}
	return false
}

func sameMediaType(a, b string) bool {
	ma, _, _ := strings.Cut(a, ";")
	mb, _, _ := strings.Cut(b, ";")
	return strings.EqualFold(strings.TrimSpace(ma), strings.TrimSpace(mb))
}
