// Package ppfake is a local stand-in of the Power Platform API, its
// connector runtime and Azure Resource Manager's API connections, for tests
// and for trying connex's platform calls offline. Its replies for
// connectors are the real ones of the Power Platform API sample
// (../shared/data/powerplatform-apis.tar.gz: api.json with the swagger
// inline, as the live API returns it); environments and connections are
// what the test or the user declares. It listens on loopback only.
//
// It checks what the real services check and what connex must get right:
// the bearer token's audience for each route, expired tokens (401), the
// connection's owner connector, that an invoked path is one of the
// definition's, and no dot segments in a dynamicInvoke path. It can answer
// 403, 442 (DLP) and 429 for a connection, to test the messages.
package ppfake

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/connex-dev/connex/schema"
)

// API is one connector's real reply: api.json and its swagger.json.
type API struct {
	ID      string
	Reply   json.RawMessage // api.json
	Swagger json.RawMessage // swagger.json
}

// LoadArchive reads the connectors ids (all when none) from the API
// sample's archive (…/apis/shared_<id>/{api.json,swagger.json}).
func LoadArchive(file string, ids ...string) (map[string]*API, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	want := map[string]bool{}
	for _, id := range ids {
		want[id] = true
	}
	out := map[string]*API{}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		dir, base := path.Split(h.Name)
		folder := path.Base(dir)
		if !strings.HasPrefix(folder, "shared_") || h.Typeflag != tar.TypeReg || h.Size > 64<<20 {
			continue
		}
		id := strings.TrimPrefix(folder, "shared_")
		if len(want) > 0 && !want[id] {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(tr, 64<<20))
		if err != nil {
			return nil, err
		}
		a := out[id]
		if a == nil {
			a = &API{ID: id}
			out[id] = a
		}
		switch base {
		case "api.json":
			a.Reply = data
		case "swagger.json":
			a.Swagger = data
		}
	}
	for id, a := range out {
		if a.Reply == nil || a.Swagger == nil {
			delete(out, id)
		}
	}
	for _, id := range ids {
		if out[id] == nil {
			return nil, fmt.Errorf("%s: no connector %s", file, id)
		}
	}
	return out, nil
}

// Environment is a declared environment.
type Environment struct {
	Name        string
	DisplayName string
	Default     bool
}

// Connection is a declared connection. Refuse makes the runtime answer
// every call through it with that status (403, 442, 429).
type Connection struct {
	Name        string
	Connector   string
	Environment string
	DisplayName string
	Status      string // "Connected", "Error"...
	CreatedBy   string
	// ResourceID is the Logic Apps API connection resource id (route 2).
	ResourceID string
	Refuse     int
}

// Request is one request the fake received (for assertions).
type Request struct {
	Method   string
	Path     string // escaped path
	Query    string
	Audience string // of the bearer token, "" when none or unknown
	Token    string
	Body     []byte
}

// Server is a running fake.
type Server struct {
	URL string

	apis   map[string]*API
	parsed map[string]*swaggerDoc

	mu       sync.Mutex
	envs     []Environment
	conns    []Connection
	requests []Request
	tokens   map[string]issued
	any      string
	serial   int
	now      func() time.Time

	srv *http.Server
	ln  net.Listener
}

type issued struct {
	audience string
	expires  time.Time
}

// Options configure a fake.
type Options struct {
	Addr string // default 127.0.0.1:0
	// Now is the fake's clock (token expiry); nil: time.Now.
	Now func() time.Time
	// Token, when set, is accepted for every audience from the first
	// request on (see AcceptToken).
	Token string
}

// Start serves apis on a loopback address.
func Start(apis map[string]*API, opts Options) (*Server, error) {
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, err
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("the fake listens on loopback only, not %s", host)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{URL: "http://" + ln.Addr().String(), apis: apis, parsed: map[string]*swaggerDoc{},
		tokens: map[string]issued{}, now: opts.Now, ln: ln, any: opts.Token}
	if s.now == nil {
		s.now = time.Now
	}
	for id, a := range apis {
		d, err := parseSwagger(a.Swagger)
		if err != nil {
			ln.Close()
			return nil, fmt.Errorf("connector %s: %w", id, err)
		}
		s.parsed[id] = d
	}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	return s, nil
}

// Close stops the server.
func (s *Server) Close() error { return s.srv.Close() }

// AddEnvironment declares an environment.
func (s *Server) AddEnvironment(e Environment) {
	s.mu.Lock()
	s.envs = append(s.envs, e)
	s.mu.Unlock()
}

// AddConnection declares a connection.
func (s *Server) AddConnection(c Connection) {
	s.mu.Lock()
	if c.Status == "" {
		c.Status = "Connected"
	}
	s.conns = append(s.conns, c)
	s.mu.Unlock()
}

// AcceptToken makes the fake accept tok for every audience, without
// expiry: for the command-line fake, where the user has no credential.
func (s *Server) AcceptToken(tok string) {
	s.mu.Lock()
	s.any = tok
	s.mu.Unlock()
}

// Requests returns what the fake received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Credential issues tokens the fake accepts, each valid for lifetime by
// the fake's clock. Issued returns how many it issued.
func (s *Server) Credential(lifetime time.Duration) *Credential {
	return &Credential{s: s, lifetime: lifetime}
}

// Credential is the fake's token issuer (an azcore.TokenCredential).
type Credential struct {
	s        *Server
	lifetime time.Duration
	mu       sync.Mutex
	count    int
}

// GetToken implements azcore.TokenCredential.
func (c *Credential) GetToken(_ context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if len(o.Scopes) != 1 {
		return azcore.AccessToken{}, errors.New("want one scope")
	}
	aud := strings.TrimSuffix(o.Scopes[0], ".default")
	c.mu.Lock()
	c.count++
	c.mu.Unlock()
	s := c.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.serial++
	tok := fmt.Sprintf("fake-token-%d", s.serial)
	exp := s.now().Add(c.lifetime)
	s.tokens[tok] = issued{audience: aud, expires: exp}
	return azcore.AccessToken{Token: tok, ExpiresOn: exp}, nil
}

// Issued is the number of tokens this credential issued.
func (c *Credential) Issued() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.count
}

const maxBody = 8 << 20

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	s.mu.Lock()
	iss, known := s.tokens[tok]
	anyAudience := s.any != "" && tok == s.any
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery,
		Audience: iss.audience, Token: tok, Body: body})
	now := s.now()
	s.mu.Unlock()

	p := r.URL.EscapedPath()
	var want string
	switch {
	case strings.HasPrefix(p, "/providers/Microsoft.BusinessAppPlatform/"), strings.HasPrefix(p, "/providers/Microsoft.PowerApps/"):
		want = "https://service.powerapps.com/"
	case strings.HasPrefix(p, "/apim/"):
		want = "https://apihub.azure.com/"
	case strings.HasPrefix(p, "/subscriptions/"), p == "/subscriptions":
		want = "https://management.azure.com/"
	default:
		writeError(w, http.StatusNotFound, "NotFound", "no such resource")
		return
	}
	switch {
	case anyAudience:
	case !known:
		writeError(w, http.StatusUnauthorized, "InvalidAuthenticationToken", "the access token is invalid")
		return
	case iss.audience != want:
		writeError(w, http.StatusUnauthorized, "InvalidAuthenticationTokenAudience", "the access token has the wrong audience")
		return
	case !now.Before(iss.expires):
		writeError(w, http.StatusUnauthorized, "ExpiredAuthenticationToken", "the access token has expired")
		return
	}
	switch {
	case strings.HasPrefix(p, "/providers/Microsoft.BusinessAppPlatform/environments"):
		s.environments(w)
	case strings.HasPrefix(p, "/providers/Microsoft.PowerApps/apis"), p == "/providers/Microsoft.PowerApps/connections":
		s.powerApps(w, r)
	case strings.HasPrefix(p, "/apim/"):
		s.runtime(w, r, body)
	default:
		s.arm(w, r, body)
	}
}

func (s *Server) environments(w http.ResponseWriter) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []any
	for _, e := range s.envs {
		out = append(out, map[string]any{"name": e.Name, "location": "europe",
			"properties": map[string]any{"displayName": e.DisplayName, "isDefault": e.Default}})
	}
	writeJSON(w, http.StatusOK, map[string]any{"value": out})
}

func (s *Server) envExists(filter string) (string, bool) {
	const pre, suf = "environment eq '", "'"
	if !strings.HasPrefix(filter, pre) || !strings.HasSuffix(filter, suf) {
		return "", false
	}
	name := filter[len(pre) : len(filter)-len(suf)]
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range s.envs {
		if e.Name == name {
			return name, true
		}
	}
	return name, false
}

// powerApps answers the list, one API, and its connections.
func (s *Server) powerApps(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "GET only")
		return
	}
	env, ok := s.envExists(r.URL.Query().Get("$filter"))
	if !ok {
		writeError(w, http.StatusNotFound, "EnvironmentNotFound", fmt.Sprintf("environment %q not found", env))
		return
	}
	rest := strings.Trim(strings.TrimPrefix(r.URL.Path, "/providers/Microsoft.PowerApps/apis"), "/")
	parts := strings.Split(rest, "/")
	if r.URL.Path == "/providers/Microsoft.PowerApps/connections" {
		parts = []string{"", "connections"}
	}
	switch {
	case rest == "":
		s.listAPIs(w, r)
	case len(parts) == 1:
		a := s.apis[strings.TrimPrefix(parts[0], "shared_")]
		if a == nil || !strings.HasPrefix(parts[0], "shared_") {
			writeError(w, http.StatusNotFound, "ApiNotFound", "no such API")
			return
		}
		var reply map[string]any
		if err := json.Unmarshal(a.Reply, &reply); err != nil {
			writeError(w, http.StatusInternalServerError, "Internal", err.Error())
			return
		}
		props, _ := reply["properties"].(map[string]any)
		if props == nil {
			props = map[string]any{}
			reply["properties"] = props
		}
		props["swagger"] = json.RawMessage(a.Swagger)
		rt := s.URL + "/apim/" + a.ID
		props["primaryRuntimeUrl"] = rt
		props["runtimeUrls"] = []string{rt}
		writeJSON(w, http.StatusOK, reply)
	case len(parts) == 2 && parts[1] == "connections":
		id := strings.TrimPrefix(parts[0], "shared_")
		s.mu.Lock()
		var out []any
		for _, c := range s.conns {
			if (id != "" && c.Connector != id) || c.Environment != env {
				continue
			}
			out = append(out, map[string]any{
				"name": c.Name, "id": "/providers/Microsoft.PowerApps/apis/shared_" + c.Connector + "/connections/" + c.Name,
				"properties": map[string]any{
					"apiId":       "/providers/Microsoft.PowerApps/apis/shared_" + c.Connector,
					"displayName": c.DisplayName,
					"statuses":    []any{map[string]any{"status": c.Status}},
					"createdBy":   map[string]any{"displayName": c.CreatedBy, "email": c.CreatedBy},
					"environment": map[string]any{"name": env},
				},
			})
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"value": out})
	default:
		writeError(w, http.StatusNotFound, "NotFound", "no such resource")
	}
}

// listAPIs pages through the APIs, 100 a page, as the service does.
func (s *Server) listAPIs(w http.ResponseWriter, r *http.Request) {
	ids := make([]string, 0, len(s.apis))
	for id := range s.apis {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	skip := 0
	fmt.Sscanf(r.URL.Query().Get("$skiptoken"), "%d", &skip)
	const page = 100
	var out []json.RawMessage
	for i := skip; i < len(ids) && i < skip+page; i++ {
		out = append(out, s.apis[ids[i]].Reply)
	}
	reply := map[string]any{"value": out}
	if skip+page < len(ids) {
		q := r.URL.Query()
		q.Set("$skiptoken", fmt.Sprint(skip+page))
		reply["nextLink"] = s.URL + r.URL.Path + "?" + q.Encode()
	}
	writeJSON(w, http.StatusOK, reply)
}

// runtime answers /apim/<id>/<connectionId>/<operation path>.
func (s *Server) runtime(w http.ResponseWriter, r *http.Request, body []byte) {
	parts := strings.SplitN(strings.TrimPrefix(r.URL.EscapedPath(), "/apim/"), "/", 3)
	if len(parts) < 2 {
		writeError(w, http.StatusNotFound, "NotFound", "no connection in the path")
		return
	}
	id, connName := parts[0], parts[1]
	rest := "/"
	if len(parts) == 3 {
		rest = "/" + parts[2]
	}
	conn, ok := s.connection(func(c Connection) bool { return c.Name == connName })
	if !ok || conn.Connector != id {
		writeError(w, http.StatusNotFound, "ConnectionNotFound", fmt.Sprintf("connection %q of %s not found", connName, id))
		return
	}
	s.answer(w, conn, r.Method, "/{connectionId}"+rest)
}

// arm answers the subscription list, API connection lists, managedApis
// and dynamicInvoke. Subscriptions and API connections are those of the
// connections added with a ResourceID, in ARM's list shape ({value,
// nextLink}; a connection's properties.api names its managed API).
func (s *Server) arm(w http.ResponseWriter, r *http.Request, body []byte) {
	p := r.URL.Path
	switch {
	case r.Method == http.MethodGet && p == "/subscriptions":
		var value []map[string]any
		seen := map[string]bool{}
		s.mu.Lock()
		for _, c := range s.conns {
			if sub := subscriptionOf(c.ResourceID); sub != "" && !seen[sub] {
				seen[sub] = true
				value = append(value, map[string]any{"id": "/subscriptions/" + sub, "subscriptionId": sub,
					"displayName": "Subscription " + sub, "state": "Enabled"})
			}
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"value": value})
	case r.Method == http.MethodGet && strings.HasSuffix(p, "/providers/Microsoft.Web/connections"):
		sub := subscriptionOf(p)
		value := []map[string]any{}
		s.mu.Lock()
		for _, c := range s.conns {
			if c.ResourceID == "" || subscriptionOf(c.ResourceID) != sub {
				continue
			}
			status := c.Status
			if status == "" {
				status = "Connected"
			}
			value = append(value, map[string]any{"id": c.ResourceID, "name": path.Base(c.ResourceID),
				"type": "Microsoft.Web/connections", "location": "westeurope",
				"properties": map[string]any{"displayName": c.DisplayName, "statuses": []map[string]string{{"status": status}},
					"api": map[string]any{"name": c.Connector, "id": "/subscriptions/" + sub + "/providers/Microsoft.Web/locations/westeurope/managedApis/" + c.Connector}}})
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{"value": value})
	case r.Method == http.MethodGet && strings.Contains(p, "/providers/Microsoft.Web/locations/") && strings.Contains(p, "/managedApis/"):
		id := path.Base(p)
		a := s.apis[id]
		if a == nil {
			writeError(w, http.StatusNotFound, "ApiNotFound", "no such managed API")
			return
		}
		var reply struct {
			Properties map[string]json.RawMessage `json:"properties"`
		}
		json.Unmarshal(a.Reply, &reply)
		props := map[string]any{"name": id, "swagger": json.RawMessage(a.Swagger)}
		for _, k := range []string{"connectionParameters", "connectionParameterSets", "capabilities"} {
			if v, ok := reply.Properties[k]; ok {
				props[k] = v
			}
		}
		gi := map[string]any{}
		for _, k := range []string{"displayName", "description", "iconUri"} {
			if v, ok := reply.Properties[k]; ok {
				gi[strings.Replace(k, "iconUri", "iconUrl", 1)] = v
			}
		}
		props["generalInformation"] = gi
		writeJSON(w, http.StatusOK, map[string]any{"id": p, "name": id, "type": "Microsoft.Web/locations/managedApis", "properties": props})
	case r.Method == http.MethodPost && strings.HasSuffix(p, "/dynamicInvoke"):
		rid := strings.TrimSuffix(p, "/dynamicInvoke")
		conn, ok := s.connection(func(c Connection) bool { return c.ResourceID != "" && strings.EqualFold(c.ResourceID, rid) })
		if !ok {
			writeError(w, http.StatusNotFound, "ResourceNotFound", "no such API connection")
			return
		}
		var in struct {
			Request struct {
				Method string `json:"method"`
				Path   string `json:"path"`
			} `json:"request"`
		}
		if err := json.Unmarshal(body, &in); err != nil || in.Request.Method == "" || !strings.HasPrefix(in.Request.Path, "/") {
			writeError(w, http.StatusBadRequest, "InvalidRequest", "want {\"request\":{\"method\",\"path\",...}}")
			return
		}
		if hasDotSegment(in.Request.Path) {
			writeError(w, http.StatusBadRequest, "InvalidPath", "dot segments are not allowed in the path")
			return
		}
		rec := &recorder{header: http.Header{}}
		s.answer(rec, conn, in.Request.Method, "/{connectionId}"+in.Request.Path)
		var b any = json.RawMessage(rec.body)
		if !json.Valid(rec.body) {
			b = string(rec.body)
		}
		headers := map[string]string{}
		for k := range rec.header {
			headers[k] = rec.header.Get(k)
		}
		writeJSON(w, http.StatusOK, map[string]any{"response": map[string]any{"statusCode": rec.status, "headers": headers, "body": b}})
	default:
		writeError(w, http.StatusNotFound, "NotFound", "no such resource")
	}
}

func (s *Server) connection(match func(Connection) bool) (Connection, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		if match(c) {
			return c, true
		}
	}
	return Connection{}, false
}

// answer finds the definition's operation for method and path (with the
// /{connectionId} prefix) and replies with a sample of its response.
func (s *Server) answer(w http.ResponseWriter, conn Connection, method, escapedPath string) {
	switch conn.Refuse {
	case 0:
	case http.StatusTooManyRequests:
		w.Header().Set("Retry-After", "30")
		writeError(w, conn.Refuse, "TooManyRequests", "rate limit is exceeded")
		return
	case 442:
		writeError(w, conn.Refuse, "DlpPolicyViolation", "the connector is blocked by a data loss prevention policy")
		return
	default:
		writeError(w, conn.Refuse, "Forbidden", "access denied")
		return
	}
	doc := s.parsed[conn.Connector]
	op := doc.match(method, escapedPath)
	if op == nil {
		writeError(w, http.StatusNotFound, "OperationNotFound", fmt.Sprintf("%s %s is not an operation of %s", method, escapedPath, conn.Connector))
		return
	}
	status, sample := op.sample(doc.definitions)
	if sample == nil {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, sample)
}

func hasDotSegment(p string) bool {
	for i := 0; i < 3; i++ {
		if d, err := url.PathUnescape(p); err == nil {
			p = d
		}
	}
	for _, seg := range strings.FieldsFunc(p, func(r rune) bool { return r == '/' || r == '\\' }) {
		if seg == "." || seg == ".." {
			return true
		}
	}
	return strings.ContainsAny(p, "?#")
}

type swaggerDoc struct {
	ops         []*swaggerOp
	definitions map[string]json.RawMessage
}

type swaggerOp struct {
	method    string
	segments  []string
	responses map[string]struct {
		Schema json.RawMessage `json:"schema"`
	}
}

func parseSwagger(raw json.RawMessage) (*swaggerDoc, error) {
	var sw struct {
		Paths       map[string]map[string]json.RawMessage `json:"paths"`
		Definitions map[string]json.RawMessage            `json:"definitions"`
	}
	if err := json.Unmarshal(raw, &sw); err != nil {
		return nil, err
	}
	d := &swaggerDoc{definitions: sw.Definitions}
	for p, methods := range sw.Paths {
		for m, body := range methods {
			switch strings.ToLower(m) {
			case "get", "put", "post", "delete", "patch", "head", "options":
			default:
				continue
			}
			op := &swaggerOp{method: strings.ToUpper(m), segments: strings.Split(strings.Trim(p, "/"), "/")}
			var o struct {
				Responses map[string]struct {
					Schema json.RawMessage `json:"schema"`
				} `json:"responses"`
			}
			json.Unmarshal(body, &o)
			op.responses = o.Responses
			d.ops = append(d.ops, op)
		}
	}
	return d, nil
}

// match finds the operation whose template fits the path: a {param}
// matches one non-empty segment.
func (d *swaggerDoc) match(method, escapedPath string) *swaggerOp {
	segs := strings.Split(strings.Trim(escapedPath, "/"), "/")
	for _, op := range d.ops {
		if op.method != method || len(op.segments) != len(segs) {
			continue
		}
		ok := true
		for i, t := range op.segments {
			if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
				if segs[i] == "" {
					ok = false
				}
				continue
			}
			if !strings.EqualFold(t, segs[i]) {
				ok = false
				break
			}
		}
		if ok {
			return op
		}
	}
	return nil
}

// sample returns the first declared 2xx status and a sample of its schema.
func (op *swaggerOp) sample(defs map[string]json.RawMessage) (int, any) {
	codes := make([]string, 0, len(op.responses))
	for c := range op.responses {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		var n int
		if _, err := fmt.Sscanf(c, "%d", &n); err != nil || n/100 != 2 {
			continue
		}
		raw := op.responses[c].Schema
		if len(raw) == 0 {
			return n, nil
		}
		sc, err := schema.Parse(raw)
		if err != nil {
			return n, nil
		}
		return n, schema.Sample(schema.Resolve(sc, defs, 8), schema.SampleOptions{})
	}
	return http.StatusOK, nil
}

type recorder struct {
	header http.Header
	status int
	body   []byte
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	r.body = append(r.body, b...)
	return len(b), nil
}
func (r *recorder) WriteHeader(s int) { r.status = s }

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": msg}})
}

// subscriptionOf is the subscription id of an ARM resource id or path.
func subscriptionOf(id string) string {
	rest, ok := strings.CutPrefix(id, "/subscriptions/")
	if !ok {
		return ""
	}
	sub, _, _ := strings.Cut(rest, "/")
	return sub
}
