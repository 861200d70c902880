package platform_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/ppfake"
	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/platform"
)

const env = "Default-72f988bf"

var (
	loadOnce sync.Once
	loaded   map[string]*ppfake.API
	loadErr  error
)

// apis loads the real replies of a few connectors once.
func apis(t *testing.T) map[string]*ppfake.API {
	t.Helper()
	dir := realdata.Dir(t)
	loadOnce.Do(func() {
		loaded, loadErr = ppfake.LoadArchive(filepath.Join(dir, "powerplatform-apis.tar.gz"),
			"sharepointonline", "office365", "approvals", "sql")
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return loaded
}

type fixture struct {
	fake  *ppfake.Server
	cred  *ppfake.Credential
	now   time.Time
	mu    sync.Mutex
	cli   *platform.Client
	clock func() time.Time
}

func newFixture(t *testing.T, lifetime time.Duration) *fixture {
	t.Helper()
	f := &fixture{now: time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)}
	f.clock = func() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now }
	fake, err := ppfake.Start(apis(t), ppfake.Options{Now: f.clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Close() })
	fake.AddEnvironment(ppfake.Environment{Name: env, DisplayName: "Contoso (default)", Default: true})
	fake.AddConnection(ppfake.Connection{Name: "shared-sharepointonl-1", Connector: "sharepointonline", Environment: env,
		DisplayName: "ada@contoso.com", CreatedBy: "ada@contoso.com",
		ResourceID: "/subscriptions/0000-1111/resourceGroups/rg1/providers/Microsoft.Web/connections/sharepointonline"})
	fake.AddConnection(ppfake.Connection{Name: "shared-office365-dlp", Connector: "office365", Environment: env, Refuse: 442})
	fake.AddConnection(ppfake.Connection{Name: "shared-office365-403", Connector: "office365", Environment: env, Refuse: 403})
	fake.AddConnection(ppfake.Connection{Name: "shared-office365-429", Connector: "office365", Environment: env, Refuse: 429})
	f.fake = fake
	f.cred = fake.Credential(lifetime)
	f.cli = platform.New(f.cred, platform.Options{
		Endpoints: platform.Endpoints{PowerApps: fake.URL, BAP: fake.URL, ARM: fake.URL},
		Now:       f.clock,
	})
	return f
}

func (f *fixture) advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

func TestEnvironmentsAPIsAndConnections(t *testing.T) {
	t.Parallel()
	f := newFixture(t, time.Hour)
	ctx := context.Background()

	envs, err := f.cli.Environments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(envs) != 1 || envs[0].ID != env || !envs[0].Default || envs[0].DisplayName != "Contoso (default)" {
		t.Fatalf("environments = %+v", envs)
	}

	list, err := f.cli.APIs(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range list {
		ids = append(ids, a.ID)
	}
	if got := strings.Join(ids, ","); got != "approvals,office365,sharepointonline,sql" {
		t.Fatalf("APIs = %s", got)
	}
	for _, a := range list {
		if a.ID == "sharepointonline" && (a.DisplayName != "SharePoint" || a.Name != "shared_sharepointonline") {
			t.Errorf("sharepointonline summary = %+v", a)
		}
	}

	api, err := f.cli.API(ctx, env, "sharepointonline")
	if err != nil {
		t.Fatal(err)
	}
	if api.PrimaryRuntimeURL != f.fake.URL+"/apim/sharepointonline" {
		t.Errorf("runtime URL = %q", api.PrimaryRuntimeURL)
	}
	var reply struct {
		Properties struct {
			DisplayName string `json:"displayName"`
			Swagger     struct {
				BasePath string                     `json:"basePath"`
				Paths    map[string]json.RawMessage `json:"paths"`
			} `json:"swagger"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(api.Reply, &reply); err != nil {
		t.Fatal(err)
	}
	if reply.Properties.DisplayName != "SharePoint" || reply.Properties.Swagger.BasePath != "/apim/sharepointonline" ||
		reply.Properties.Swagger.Paths["/{connectionId}/datasets/{dataset}/tables/{table}/items"] == nil {
		t.Errorf("the reply lacks the inline swagger: %.200s", api.Reply)
	}

	conns, err := f.cli.Connections(ctx, env, "sharepointonline")
	if err != nil {
		t.Fatal(err)
	}
	if len(conns) != 1 || conns[0].ID != "shared-sharepointonl-1" || conns[0].CreatedBy != "ada@contoso.com" || !conns[0].Connected() {
		t.Fatalf("connections = %+v", conns)
	}

	all, err := f.cli.Connections(ctx, env, "")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range all {
		names = append(names, c.Connector+"/"+c.ID)
	}
	if got := strings.Join(names, ","); got != "sharepointonline/shared-sharepointonl-1,office365/shared-office365-dlp,office365/shared-office365-403,office365/shared-office365-429" {
		t.Errorf("all connections = %s", got)
	}

	// Every request carried a token for service.powerapps.com.
	for _, r := range f.fake.Requests() {
		if r.Audience != platform.AudiencePowerApps {
			t.Errorf("%s %s went with a token for %q", r.Method, r.Path, r.Audience)
		}
	}
	if n := f.cred.Issued(); n != 1 {
		t.Errorf("tokens issued = %d, want 1 (cached for the audience)", n)
	}

	if _, err := f.cli.APIs(ctx, "no-such-env"); !errors.Is(err, platform.ErrNotFound) {
		t.Errorf("unknown environment: err = %v, want ErrNotFound", err)
	}
}

// getItems is SharePoint's "Get items" as its real definition declares it
// (method, path and path parameters read from the reply's swagger).
func operation(t *testing.T, id, opID string) (*catalog.Connector, *catalog.Operation) {
	t.Helper()
	var sw struct {
		Host     string `json:"host"`
		BasePath string `json:"basePath"`
		Paths    map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Parameters  []struct {
				Name     string `json:"name"`
				In       string `json:"in"`
				Required bool   `json:"required"`
				Type     string `json:"type"`
				Encoding string `json:"x-ms-url-encoding"`
			} `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(apis(t)[id].Swagger, &sw); err != nil {
		t.Fatal(err)
	}
	conn := &catalog.Connector{ID: id, Host: sw.Host, BasePath: sw.BasePath, Schemes: []string{"https"}, ViaConnection: true}
	for p, methods := range sw.Paths {
		for m, o := range methods {
			if o.OperationID != opID {
				continue
			}
			op := &catalog.Operation{ID: opID, Kind: catalog.KindAction, Method: strings.ToUpper(m), Path: p}
			for _, prm := range o.Parameters {
				typ := prm.Type
				if prm.In == "body" {
					typ = "object"
				}
				if typ == "" {
					typ = "string"
				}
				op.Parameters = append(op.Parameters, catalog.Parameter{Name: prm.Name, Key: prm.Name, In: prm.In, Required: prm.Required, Type: typ})
				if prm.Encoding == catalog.URLEncodingDouble {
					op.Parameters[len(op.Parameters)-1].URLEncoding = catalog.URLEncodingDouble
				}
			}
			conn.Operations = append(conn.Operations, op)
			return conn, op
		}
	}
	t.Fatalf("%s has no operation %s", id, opID)
	return nil, nil
}

func TestInvokeThroughEachRoute(t *testing.T) {
	t.Parallel()
	f := newFixture(t, time.Hour)
	ctx := context.Background()
	conn, op := operation(t, "sharepointonline", "GetItems")
	in := call.Input{Params: map[string]string{"dataset": "https://contoso.sharepoint.com/sites/hr", "table": "Issues", "$top": "5"}}

	// Route 1: the connection on the runtime host.
	p, err := f.cli.Prepare(ctx, conn, op, in, platform.Target{Environment: env, ConnectionID: "shared-sharepointonl-1",
		RuntimeURL: f.fake.URL + "/apim/sharepointonline"})
	if err != nil {
		t.Fatal(err)
	}
	// The site address and the list name are encoded twice
	// (x-ms-url-encoding: double).
	wantPath := "/datasets/https:%252F%252Fcontoso.sharepoint.com%252Fsites%252Fhr/tables/Issues/items"
	if p.Path != wantPath {
		t.Errorf("path = %s, want %s", p.Path, wantPath)
	}
	if got := p.Request.URL.String(); got != f.fake.URL+"/apim/sharepointonline/shared-sharepointonl-1"+wantPath+"?%24top=5" {
		t.Errorf("URL = %s", got)
	}
	if preview := call.Preview(p.Request); strings.Contains(preview, "fake-token") {
		t.Errorf("the dry run shows the token:\n%s", preview)
	}
	res, err := f.cli.Invoke(ctx, p, call.NewClient(call.ClientOptions{}))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != 200 || !json.Valid(res.Body) {
		t.Fatalf("route 1: %d %s", res.Status, res.Body)
	}
	last := f.fake.Requests()[len(f.fake.Requests())-1]
	if last.Audience != platform.AudienceAPIHub || last.Method != "GET" {
		t.Errorf("route 1 request = %+v", last)
	}

	// Route 2: dynamicInvoke on Resource Manager.
	rid := "/subscriptions/0000-1111/resourceGroups/rg1/providers/Microsoft.Web/connections/sharepointonline"
	p2, err := f.cli.Prepare(ctx, conn, op, in, platform.Target{Route: platform.RouteLogicApps, ConnectionResourceID: rid})
	if err != nil {
		t.Fatal(err)
	}
	var inv struct {
		Request struct {
			Method  string            `json:"method"`
			Path    string            `json:"path"`
			Queries map[string]string `json:"queries"`
		} `json:"request"`
	}
	if err := json.Unmarshal(p2.Invoke, &inv); err != nil {
		t.Fatal(err)
	}
	if inv.Request.Method != "GET" || inv.Request.Path != wantPath || inv.Request.Queries["$top"] != "5" {
		t.Errorf("dynamicInvoke body = %s", p2.Invoke)
	}
	res2, err := f.cli.Invoke(ctx, p2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res2.Status != 200 || strings.TrimSpace(string(res2.Body)) != strings.TrimSpace(string(res.Body)) {
		t.Errorf("route 2: %d %s, want the same answer as route 1 (%s)", res2.Status, res2.Body, res.Body)
	}
	last = f.fake.Requests()[len(f.fake.Requests())-1]
	if last.Audience != platform.AudienceARM || last.Method != "POST" || last.Path != rid+"/dynamicInvoke" {
		t.Errorf("route 2 request = %+v", last)
	}
}

func TestPathValuesRefusedOrEncoded(t *testing.T) {
	t.Parallel()
	f := newFixture(t, time.Hour)
	ctx := context.Background()
	conn, op := operation(t, "sharepointonline", "GetItems")
	rid := "/subscriptions/0000-1111/resourceGroups/rg1/providers/Microsoft.Web/connections/sharepointonline"
	for _, bad := range []string{"..", "../../subscriptions/other", "%2e%2e/", "%2E%2E", "a/../b", "list?x=1", "list#frag", `..\x`, "%252e%252e"} {
		for _, target := range []platform.Target{
			{Route: platform.RouteLogicApps, ConnectionResourceID: rid},
			{ConnectionID: "shared-sharepointonl-1", RuntimeURL: f.fake.URL + "/apim/sharepointonline"},
		} {
			in := call.Input{Params: map[string]string{"dataset": "site", "table": bad}}
			_, err := f.cli.Prepare(ctx, conn, op, in, target)
			if !errors.Is(err, platform.ErrRefused) {
				t.Errorf("table=%q via %s: err = %v, want refused", bad, target.Route, err)
			}
		}
	}
	// An operation that is not the connector's own is never prepared.
	other := &catalog.Operation{ID: "Evil", Method: "GET", Path: "/{connectionId}/../admin"}
	if _, err := f.cli.Prepare(ctx, conn, other, call.Input{}, platform.Target{Route: platform.RouteLogicApps, ConnectionResourceID: rid}); !errors.Is(err, platform.ErrRefused) {
		t.Errorf("foreign operation: err = %v", err)
	}
	// The connection id and the resource id are checked too.
	in := call.Input{Params: map[string]string{"dataset": "site", "table": "t"}}
	if _, err := f.cli.Prepare(ctx, conn, op, in, platform.Target{ConnectionID: "../x", RuntimeURL: f.fake.URL + "/apim/sharepointonline"}); !errors.Is(err, platform.ErrRefused) {
		t.Errorf("connection id ../x: err = %v", err)
	}
	if _, err := f.cli.Prepare(ctx, conn, op, in, platform.Target{Route: platform.RouteLogicApps, ConnectionResourceID: rid + "/../../x"}); !errors.Is(err, platform.ErrRefused) {
		t.Errorf("resource id with ..: err = %v", err)
	}
	// A runtime URL off the platform's domain gets no token.
	if _, err := f.cli.Prepare(ctx, conn, op, in, platform.Target{ConnectionID: "c1", RuntimeURL: "https://attacker.example/apim/x"}); !errors.Is(err, platform.ErrRefused) {
		t.Errorf("foreign runtime URL: err = %v", err)
	}
	if _, err := f.cli.Prepare(ctx, conn, op, in, platform.Target{ConnectionID: "c1", RuntimeURL: "http://westeurope.azure-apim.net/apim/x"}); !errors.Is(err, platform.ErrRefused) {
		t.Errorf("plain-http runtime URL: err = %v", err)
	}
	// The fake saw no dynamicInvoke at all.
	for _, r := range f.fake.Requests() {
		if strings.HasSuffix(r.Path, "/dynamicInvoke") || strings.Contains(r.Path, "/apim/") {
			t.Errorf("a refused call reached the service: %+v", r)
		}
	}
}

func TestRefusalsSayWhatToDo(t *testing.T) {
	t.Parallel()
	f := newFixture(t, time.Hour)
	ctx := context.Background()
	conn, op := operation(t, "office365", "SendEmailV2")
	cases := []struct {
		conn string
		want error
		text string
	}{
		{"shared-office365-dlp", platform.ErrDLP, "HTTP 442: blocked by a data loss prevention policy (DlpPolicyViolation: the connector is blocked by a data loss prevention policy); a data loss prevention policy of environment " + env + " forbids this connector here (ask the environment's admin)"},
		{"shared-office365-403", platform.ErrForbidden, "HTTP 403: forbidden (Forbidden: access denied); your account has no access to this environment, connector or connection"},
		{"shared-office365-429", platform.ErrThrottled, "HTTP 429: throttled (TooManyRequests: rate limit is exceeded); the connection's call limit was reached; try again in 30s"},
	}
	for _, c := range cases {
		p, err := f.cli.Prepare(ctx, conn, op, call.Input{Body: []byte(`{"To":"a@b.c","Subject":"s","Body":"b"}`)},
			platform.Target{Environment: env, ConnectionID: c.conn, RuntimeURL: f.fake.URL + "/apim/office365"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.cli.Invoke(ctx, p, nil)
		if !errors.Is(err, c.want) || err.Error() != c.text {
			t.Errorf("%s:\n got %v\nwant %s", c.conn, err, c.text)
		}
	}
	// No token at all: the list says to sign in.
	anon := platform.New(nil, platform.Options{Endpoints: platform.Endpoints{PowerApps: f.fake.URL, BAP: f.fake.URL, ARM: f.fake.URL}})
	if _, err := anon.Environments(ctx); !errors.Is(err, platform.ErrNotSignedIn) || !strings.Contains(err.Error(), "connex login") {
		t.Errorf("no credential: err = %v", err)
	}
	// A token the service refuses.
	bad := platform.New(platform.StaticToken{Token: "forged"}, platform.Options{Endpoints: platform.Endpoints{PowerApps: f.fake.URL, BAP: f.fake.URL, ARM: f.fake.URL}})
	_, err := bad.Environments(ctx)
	var se *platform.StatusError
	if !errors.As(err, &se) || se.Status != http.StatusUnauthorized || !errors.Is(err, platform.ErrNotSignedIn) {
		t.Errorf("forged token: err = %v", err)
	}
}

func TestExpiredTokenIsRefreshed(t *testing.T) {
	t.Parallel()
	f := newFixture(t, 10*time.Minute)
	ctx := context.Background()
	if _, err := f.cli.Environments(ctx); err != nil {
		t.Fatal(err)
	}
	// Nine minutes on, the token is within the refresh margin: a new one
	// is asked for before the request.
	f.advance(9 * time.Minute)
	if _, err := f.cli.Environments(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.cred.Issued(); n != 2 {
		t.Errorf("tokens issued = %d, want 2", n)
	}
	// A token the service considers expired although the client does not
	// (clock skew, early revocation): the 401 makes the client ask for a
	// new token once, and the call goes through.
	skewed := platform.New(&skewCredential{inner: f.cred, shift: time.Hour}, platform.Options{
		Endpoints: platform.Endpoints{PowerApps: f.fake.URL, BAP: f.fake.URL, ARM: f.fake.URL}, Now: f.clock})
	if _, err := skewed.Environments(ctx); err != nil {
		t.Fatal(err)
	}
	f.advance(20 * time.Minute)
	before := f.cred.Issued()
	if _, err := skewed.Environments(ctx); err != nil {
		t.Fatalf("after the token expired: %v", err)
	}
	if got := f.cred.Issued() - before; got != 1 {
		t.Errorf("after a 401 the client asked for %d tokens, want 1", got)
	}
	reqs := f.fake.Requests()
	if n := len(reqs); n < 2 || reqs[n-2].Token == reqs[n-1].Token {
		t.Errorf("the retry did not use a new token")
	}
}

// skewCredential reports tokens as living longer than they do: the client
// trusts the report until the service refuses the token.
type skewCredential struct {
	inner *ppfake.Credential
	shift time.Duration
}

func (s *skewCredential) GetToken(ctx context.Context, o policy.TokenRequestOptions) (azcore.AccessToken, error) {
	tok, err := s.inner.GetToken(ctx, o)
	tok.ExpiresOn = tok.ExpiresOn.Add(s.shift)
	return tok, err
}

func TestFetchEnvironmentWritesTheImporterLayout(t *testing.T) {
	t.Parallel()
	f := newFixture(t, time.Hour)
	dir := t.TempDir()
	n, failures, err := f.cli.FetchEnvironment(context.Background(), env, dir, nil)
	if err != nil || len(failures) != 0 {
		t.Fatal(err, failures)
	}
	if n != 4 {
		t.Errorf("written = %d, want 4", n)
	}
	for _, id := range []string{"approvals", "office365", "sharepointonline", "sql"} {
		data, err := os.ReadFile(filepath.Join(dir, "apis", "shared_"+id, "api.json"))
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Properties struct {
				Swagger           map[string]json.RawMessage `json:"swagger"`
				PrimaryRuntimeURL string                     `json:"primaryRuntimeUrl"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(data, &r); err != nil || r.Properties.Swagger["paths"] == nil || r.Properties.PrimaryRuntimeURL == "" {
			t.Errorf("%s: reply without its definition or runtime URL (%v)", id, err)
		}
	}
}

// StatusText names the platform's own DLP status, which net/http does
// not know, and leaves the standard ones to net/http.
func TestStatusText(t *testing.T) {
	t.Parallel()
	for code, want := range map[int]string{
		platform.StatusDLP:   "Blocked by a data loss prevention policy",
		http.StatusOK:        "OK",
		http.StatusForbidden: "Forbidden",
		499:                  "",
	} {
		if got := platform.StatusText(code); got != want {
			t.Errorf("StatusText(%d) = %q, want %q", code, got, want)
		}
	}
}
