package platform

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/lazyre"
)

// Route says how a call reaches the connector.
type Route string

const (
	// RoutePowerPlatform: {primaryRuntimeUrl}/{connectionId}{path}, with a
	// token for https://apihub.azure.com/.
	RoutePowerPlatform Route = "powerplatform"
	// RouteLogicApps: POST {connectionResourceId}/dynamicInvoke on Azure
	// Resource Manager.
	RouteLogicApps Route = "logicapps"
)

// ConnectionParam is the path parameter that carries the connection.
const ConnectionParam = catalog.ConnectionParameter

// Target says which connection a call goes through.
type Target struct {
	Route Route
	// Environment names the Power Platform environment (messages, DLP).
	Environment string
	// ConnectionID is the connection's name (route 1).
	ConnectionID string
	// RuntimeURL is the connector's primaryRuntimeUrl (route 1).
	RuntimeURL string
	// ConnectionResourceID is the Logic Apps API connection's resource id
	// (/subscriptions/.../resourceGroups/.../providers/Microsoft.Web/connections/NAME), route 2.
	ConnectionResourceID string
}

// Prepared is a request ready to go through a connection: the request as
// the runtime receives it (for --dry-run and --curl: its Authorization is
// a secret the call package masks), and for route 2 the dynamicInvoke body.
type Prepared struct {
	Target  Target
	Request *call.Request
	// Path is the operation's path relative to the connection, encoded
	// (what dynamicInvoke's request.path holds).
	Path string
	// Invoke is the dynamicInvoke request body (route 2 only).
	Invoke json.RawMessage
	// InvokeURL is where route 2 posts it.
	InvokeURL string
}

var (
	connectionIDRe = lazyre.New(`^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$`)
	resourceIDRe   = lazyre.New(`^/subscriptions/[A-Za-z0-9-]+/resourceGroups/[A-Za-z0-9._()-]+/providers/Microsoft\.Web/connections/[A-Za-z0-9._-]+$`)
)

// validResourceID reports whether id is an API connection resource id
// whose segments are names, never "." or ".." (the dynamicInvoke URL is
// the id with a suffix: a dot segment would move it elsewhere on ARM).
func validResourceID(id string) bool {
	if !resourceIDRe.MatchString(id) {
		return false
	}
	for _, seg := range strings.Split(id, "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// Prepare builds the request of op through target. Only op, an operation
// of conn's definition, can be prepared; every path value is checked
// (no "..", no "?" or "#") and encoded.
func (c *Client) Prepare(ctx context.Context, conn *catalog.Connector, op *catalog.Operation, in call.Input, target Target) (*Prepared, error) {
	if conn == nil || op == nil || conn.Operation(op.ID) != op {
		return nil, fmt.Errorf("%w: the operation is not one of the connector's definition", ErrRefused)
	}
	if !op.ThroughConnection() {
		return nil, fmt.Errorf("%s/%s: %w: its path %q does not go through a connection ({%s}); call it directly instead",
			conn.ID, op.ID, ErrRefused, op.Path, ConnectionParam)
	}
	if err := checkPathValues(op, in.Params); err != nil {
		return nil, err
	}
	params := map[string]string{}
	for k, v := range in.Params {
		params[k] = v
	}
	in.Params = params
	in.Auth = nil

	switch target.Route {
	case RoutePowerPlatform, "":
		target.Route = RoutePowerPlatform
		if !connectionIDRe.MatchString(target.ConnectionID) {
			return nil, fmt.Errorf("%w: connection id %q is not a connection name (see connex connections %s)", ErrRefused, target.ConnectionID, conn.ID)
		}
		rt, err := c.checkRuntimeURL(target.RuntimeURL)
		if err != nil {
			return nil, err
		}
		params[ConnectionParam] = target.ConnectionID
		tok, err := c.tokens.get(ctx, AudienceAPIHub)
		if err != nil {
			return nil, err
		}
		in.BaseURL = rt
		in.Auth = &call.Credentials{Type: call.AuthBearer, Secret: tok}
		req, err := call.Build(conn, op, in)
		if err != nil {
			return nil, err
		}
		prefix := strings.TrimRight(mustURL(rt).EscapedPath(), "/") + "/" + target.ConnectionID
		return &Prepared{Target: target, Request: req, Path: strings.TrimPrefix(req.URL.EscapedPath(), prefix)}, nil

	case RouteLogicApps:
		if !validResourceID(target.ConnectionResourceID) {
			return nil, fmt.Errorf("%w: %q is not an API connection resource id (/subscriptions/SUB/resourceGroups/RG/providers/Microsoft.Web/connections/NAME)", ErrRefused, target.ConnectionResourceID)
		}
		// Build against a placeholder origin to get the encoded path,
		// query and headers; the connection segment is dropped.
		const placeholder = "https://connection.invalid"
		params[ConnectionParam] = "connection"
		in.BaseURL = placeholder + "/base"
		req, err := call.Build(conn, op, in)
		if err != nil {
			return nil, err
		}
		p := strings.TrimPrefix(req.URL.EscapedPath(), "/base/connection")
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		queries := map[string]string{}
		for k, vs := range req.URL.Query() {
			queries[k] = strings.Join(vs, ",")
		}
		headers := map[string]string{}
		for k := range req.Header {
			if strings.EqualFold(k, "User-Agent") {
				continue
			}
			headers[k] = req.Header.Get(k)
		}
		var body any
		if len(req.Body) > 0 {
			if json.Valid(req.Body) {
				body = json.RawMessage(req.Body)
			} else {
				body = string(req.Body)
			}
		}
		inv := map[string]any{"request": map[string]any{
			"method": req.Method, "path": p, "queries": queries, "headers": headers, "body": body,
		}}
		raw, err := json.Marshal(inv)
		if err != nil {
			return nil, err
		}
		return &Prepared{Target: target, Request: req, Path: p, Invoke: raw,
			InvokeURL: c.endpoints.ARM + target.ConnectionResourceID + "/dynamicInvoke?api-version=" + ARMAPIVersion}, nil
	}
	return nil, fmt.Errorf("%w: unknown route %q", ErrRefused, target.Route)
}

// OnTheWire is the request Invoke sends, for a preview or a dry run: the
// operation's request itself (route 1), or the dynamicInvoke POST to Azure
// Resource Manager that carries it (route 2), with a placeholder for the
// token Invoke asks for then.
func (p *Prepared) OnTheWire() *call.Request {
	if p.Target.Route != RouteLogicApps {
		return p.Request
	}
	u, err := url.Parse(p.InvokeURL)
	if err != nil {
		return p.Request
	}
	return &call.Request{Method: http.MethodPost, URL: u, Body: p.Invoke,
		Header:      http.Header{"Authorization": {"Bearer (a token for Azure Resource Manager)"}, "Content-Type": {"application/json"}},
		ConnectorID: p.Request.ConnectorID, OperationID: p.Request.OperationID, SecretHeaders: []string{"Authorization"}}
}

// Result is the connector's answer to an invoked operation.
type Result struct {
	Status   int
	Headers  http.Header
	Body     []byte
	Duration time.Duration
}

// Invoke sends a prepared request and returns the connector's answer. A
// refused answer (401, 403, 442, 429...) is an error that says what to do.
func (c *Client) Invoke(ctx context.Context, p *Prepared, sender *call.Client) (*Result, error) {
	start := time.Now()
	switch p.Target.Route {
	case RoutePowerPlatform:
		if sender == nil {
			sender = call.NewClient(call.ClientOptions{})
		}
		resp, err := sender.Do(ctx, p.Request)
		if err != nil {
			return nil, err
		}
		if resp.Status == http.StatusUnauthorized {
			// Once more with a fresh token.
			c.tokens.drop(AudienceAPIHub)
			tok, err := c.tokens.get(ctx, AudienceAPIHub)
			if err != nil {
				return nil, err
			}
			p.Request.Header.Set("Authorization", "Bearer "+tok)
			if resp, err = sender.Do(ctx, p.Request); err != nil {
				return nil, err
			}
		}
		res := &Result{Status: resp.Status, Headers: resp.Headers, Body: resp.Body, Duration: resp.Duration}
		return res, refused(res, p.Target.Environment)
	case RouteLogicApps:
		resp, body, err := c.do(ctx, http.MethodPost, p.InvokeURL, AudienceARM, nil, p.Invoke)
		if err != nil {
			return nil, err
		}
		if resp.StatusCode/100 != 2 {
			return nil, statusError(resp, body, p.Target.Environment)
		}
		var r struct {
			Response struct {
				StatusCode any               `json:"statusCode"`
				Headers    map[string]string `json:"headers"`
				Body       json.RawMessage   `json:"body"`
			} `json:"response"`
		}
		if err := json.Unmarshal(body, &r); err != nil {
			return nil, fmt.Errorf("dynamicInvoke: the reply is not JSON: %v", err)
		}
		res := &Result{Status: statusCode(r.Response.StatusCode), Headers: http.Header{}, Duration: time.Since(start)}
		for k, v := range r.Response.Headers {
			res.Headers.Set(k, v)
		}
		res.Body = r.Response.Body
		var s string
		if json.Unmarshal(r.Response.Body, &s) == nil {
			res.Body = []byte(s)
		}
		return res, refused(res, p.Target.Environment)
	}
	return nil, fmt.Errorf("%w: unknown route %q", ErrRefused, p.Target.Route)
}

// refused turns the connector's refusal into an error; other statuses,
// including the connector's own 4xx and 5xx, are the call's result.
func refused(r *Result, env string) error {
	switch r.Status {
	case http.StatusUnauthorized, http.StatusForbidden, StatusDLP, http.StatusTooManyRequests:
		return statusError(&http.Response{StatusCode: r.Status, Header: r.Headers}, r.Body, env)
	}
	return nil
}

// statusCode reads dynamicInvoke's statusCode: a number, or a name such as
// "OK" or "NotFound".
func statusCode(v any) int {
	switch x := v.(type) {
	case float64:
		return int(x)
	case string:
		names := map[string]int{"OK": 200, "Created": 201, "Accepted": 202, "NoContent": 204, "BadRequest": 400,
			"Unauthorized": 401, "Forbidden": 403, "NotFound": 404, "Conflict": 409, "TooManyRequests": 429,
			"InternalServerError": 500, "BadGateway": 502, "ServiceUnavailable": 503}
		if n, ok := names[x]; ok {
			return n
		}
		var n int
		if _, err := fmt.Sscanf(x, "%d", &n); err == nil {
			return n
		}
	}
	return 0
}

// checkPathValues refuses path values that could leave their segment once
// a server decodes them: dot segments, encoded or not, "?" and "#".
func checkPathValues(op *catalog.Operation, params map[string]string) error {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !isPathParam(op, k) {
			continue
		}
		if k == ConnectionParam {
			return fmt.Errorf("%w: %s is set by the connection, not as a parameter", ErrRefused, ConnectionParam)
		}
		v := params[k]
		// Decode up to three times: servers and proxies decode too.
		for i := 0; i < 3; i++ {
			if d, err := url.PathUnescape(v); err == nil {
				v = d
			}
		}
		if strings.ContainsAny(v, "?#") {
			return fmt.Errorf("%w: path parameter %q holds %q: \"?\" and \"#\" are not allowed in a path value", ErrRefused, k, params[k])
		}
		for _, seg := range strings.FieldsFunc(v, func(r rune) bool { return r == '/' || r == '\\' }) {
			if seg == "." || seg == ".." {
				return fmt.Errorf("%w: path parameter %q holds %q: a dot segment would leave the operation's path", ErrRefused, k, params[k])
			}
		}
		if v == "." || v == ".." {
			return fmt.Errorf("%w: path parameter %q holds %q: a dot segment would leave the operation's path", ErrRefused, k, params[k])
		}
	}
	return nil
}

func isPathParam(op *catalog.Operation, key string) bool {
	if strings.Contains(op.Path, "{"+key+"}") {
		return true
	}
	for _, p := range op.Parameters {
		if p.In == catalog.InPath && (p.Key == key || p.Name == key) {
			return true
		}
	}
	return false
}

// checkRuntimeURL accepts the platform's runtime hosts over https, and the
// configured Power Apps endpoint's own origin (a local fake): the token for
// the runtime goes nowhere else.
func (c *Client) checkRuntimeURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("%w: the connector's runtime URL %q is not a URL (fetch it with connex import --environment)", ErrRefused, raw)
	}
	ep := mustURL(c.endpoints.PowerApps)
	switch {
	case u.Scheme == "https" && strings.HasSuffix(strings.ToLower(u.Hostname()), ".azure-apim.net"):
	case u.Scheme == ep.Scheme && u.Host == ep.Host:
	default:
		return "", fmt.Errorf("%w: the runtime URL %s is not on the platform's runtime domain (*.azure-apim.net over https): no token is sent there", ErrRefused, redactURL(raw))
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return strings.TrimRight(u.String(), "/"), nil
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		return &url.URL{}
	}
	return u
}
