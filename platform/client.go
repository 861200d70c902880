// Package platform calls connectors the way a flow does: through one of the
// user's Power Platform connections, under the platform's policies. It reads
// what an environment offers (connectors with their full definitions, the
// user's connections) and invokes an operation by one of two routes:
//
//   - RoutePowerPlatform: {primaryRuntimeUrl}/{connectionId}{operation path}
//     on the runtime host (<region>.azure-apim.net), with a token for
//     https://apihub.azure.com/;
//   - RouteLogicApps: POST {connectionResourceId}/dynamicInvoke on Azure
//     Resource Manager, with the request as JSON.
//
// These are the shapes Microsoft's PowerShell modules and Terraform provider
// use. Tokens come from an azcore.TokenCredential (azidentity in the
// product, a fake in tests); this package never stores one. A token is sent
// only to the host it is for: the configured API endpoints, and runtime URLs
// on the platform's runtime domain (or the configured endpoint's own host,
// for a local fake).
//
// Only operations of the connector's definition are ever invoked, with
// every parameter value encoded; a path parameter that would climb out of
// its segment ("..", "%2e%2e") is refused: a path traversal through
// dynamicInvoke's path field was a real cross-tenant vulnerability.
//
// No UI code here: the CLI and the explorer both drive it.
package platform

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"

	"github.com/connex-dev/connex/internal/limitio"
)

// Token audiences (resources) of the services used.
const (
	AudiencePowerApps = "https://service.powerapps.com/"
	AudienceAPIHub    = "https://apihub.azure.com/"
	AudienceARM       = "https://management.azure.com/"
)

// API versions of the routes.
const (
	PowerAppsAPIVersion = "2016-11-01"
	BAPAPIVersion       = "2020-10-01"
	ARMAPIVersion       = "2016-06-01"
)

// Endpoints are the services' base URLs. The zero value means the public
// cloud; tests and the local fake point all three at a loopback server.
type Endpoints struct {
	PowerApps string // https://api.powerapps.com
	BAP       string // https://api.bap.microsoft.com
	ARM       string // https://management.azure.com
}

// PublicCloud are the endpoints of the public cloud.
var PublicCloud = Endpoints{
	PowerApps: "https://api.powerapps.com",
	BAP:       "https://api.bap.microsoft.com",
	ARM:       "https://management.azure.com",
}

// Limits on what is read from the services (replies are untrusted).
const (
	maxReply      = 64 << 20 // one connector's reply with its definition
	maxListPages  = 200
	defaultTimout = 60 * time.Second
)

// Sentinel errors, matched with errors.Is. A *StatusError wraps the one
// its reply's status names.
var (
	// ErrNotSignedIn: no sign-in method gave a token, or the service
	// refused the token (401).
	ErrNotSignedIn = errors.New("not signed in")
	// ErrForbidden: the account has no access to the environment,
	// connector or connection (403).
	ErrForbidden = errors.New("forbidden")
	// ErrDLP: a data loss prevention policy of the environment forbids
	// the connector there (442).
	ErrDLP = errors.New("blocked by a data loss prevention policy")
	// ErrThrottled: the connection's call limit was reached (429);
	// StatusError.RetryAfter says when to try again, when the reply did.
	ErrThrottled = errors.New("throttled")
	// ErrNotFound: the service knows no such resource (404).
	ErrNotFound = errors.New("not found")
	// ErrRefused: connex would not send a request (a path value that
	// leaves the operation's path, a runtime URL off the platform's
	// domain, a next page on another host); that request was not sent.
	ErrRefused = errors.New("refused")
)

// Client talks to the Power Platform and Azure Resource Manager APIs.
type Client struct {
	endpoints Endpoints
	tokens    *tokenCache
	http      *http.Client
	cacheDir  string
	now       func() time.Time
}

// Options configure a Client.
type Options struct {
	Endpoints Endpoints // zero: PublicCloud
	// HTTP sends the requests (tests); nil: a client with a 60 s timeout
	// that never follows a redirect (a bearer token must not follow one).
	HTTP *http.Client
	// Now is the clock used to judge token expiry (tests); nil: time.Now.
	Now func() time.Time
	// CacheDir keeps what RuntimeURL learnt (runtimes.json), so that the
	// next process need not ask again; "": nothing is kept.
	CacheDir string
}

// New returns a client that gets its tokens from cred.
func New(cred azcore.TokenCredential, opts Options) *Client {
	ep := opts.Endpoints
	ep.PowerApps = cmp.Or(ep.PowerApps, PublicCloud.PowerApps)
	ep.BAP = cmp.Or(ep.BAP, PublicCloud.BAP)
	ep.ARM = cmp.Or(ep.ARM, PublicCloud.ARM)
	for _, s := range []*string{&ep.PowerApps, &ep.BAP, &ep.ARM} {
		*s = strings.TrimRight(*s, "/")
	}
	hc := opts.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: defaultTimout}
	}
	// Never follow a redirect with a bearer token: the caller sees the 3xx.
	cp := *hc
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Client{endpoints: ep, tokens: newTokenCache(cred, opts.Now), http: &cp, cacheDir: opts.CacheDir, now: now}
}

// Endpoints returns the endpoints in use.
func (c *Client) Endpoints() Endpoints { return c.endpoints }

// Environment is one Power Platform environment.
type Environment struct {
	ID          string `json:"id"`
	DisplayName string `json:"display_name"`
	Default     bool   `json:"default,omitempty"`
	Region      string `json:"region,omitempty"`
}

// Environments lists the environments the signed-in user can see.
func (c *Client) Environments(ctx context.Context) ([]Environment, error) {
	u := c.endpoints.BAP + "/providers/Microsoft.BusinessAppPlatform/environments?api-version=" + BAPAPIVersion
	var out []Environment
	err := c.list(ctx, u, AudiencePowerApps, func(raw json.RawMessage) error {
		var e struct {
			Name       string `json:"name"`
			Location   string `json:"location"`
			Properties struct {
				DisplayName         string `json:"displayName"`
				IsDefault           bool   `json:"isDefault"`
				AzureRegionHint     string `json:"azureRegionHint"`
				EnvironmentLocation string `json:"location"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(raw, &e); err != nil {
			return err
		}
		region := e.Location
		if region == "" {
			region = e.Properties.AzureRegionHint
		}
		out = append(out, Environment{ID: e.Name, DisplayName: e.Properties.DisplayName, Default: e.Properties.IsDefault, Region: region})
		return nil
	})
	return out, err
}

// APISummary is one connector an environment can use, as the list returns it.
type APISummary struct {
	ID          string `json:"id"`   // the reference site's id: the name after shared_
	Name        string `json:"name"` // shared_<id>
	DisplayName string `json:"display_name"`
	Tier        string `json:"tier,omitempty"`
	Publisher   string `json:"publisher,omitempty"`
	Custom      bool   `json:"custom,omitempty"`
}

// APIs lists the connectors environment env can use (custom ones included).
func (c *Client) APIs(ctx context.Context, env string) ([]APISummary, error) {
	u := c.powerAppsURL("/providers/Microsoft.PowerApps/apis", env)
	var out []APISummary
	err := c.list(ctx, u, AudiencePowerApps, func(raw json.RawMessage) error {
		var a struct {
			Name       string `json:"name"`
			Properties struct {
				DisplayName string `json:"displayName"`
				Tier        string `json:"tier"`
				Publisher   string `json:"publisher"`
				IsCustomAPI bool   `json:"isCustomApi"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(raw, &a); err != nil {
			return err
		}
		out = append(out, APISummary{ID: ConnectorID(a.Name), Name: a.Name, DisplayName: a.Properties.DisplayName,
			Tier: a.Properties.Tier, Publisher: a.Properties.Publisher, Custom: a.Properties.IsCustomAPI})
		return nil
	})
	return out, err
}

// API is one connector's full reply: what the importer reads (the API
// sample's api.json with properties.swagger inline), and where calls go.
type API struct {
	ID   string
	Name string // shared_<id>
	// Reply is the service's reply as it came, properties.swagger inline.
	Reply json.RawMessage
	// PrimaryRuntimeURL is where calls through a connection go
	// (https://<region>.azure-apim.net/apim/<id>).
	PrimaryRuntimeURL string
}

// API fetches one connector with its full definition.
func (c *Client) API(ctx context.Context, env, id string) (*API, error) {
	name := APIName(id)
	u := c.powerAppsURL("/providers/Microsoft.PowerApps/apis/"+url.PathEscape(name), env)
	body, err := c.get(ctx, u, AudiencePowerApps)
	if err != nil {
		return nil, fmt.Errorf("connector %s in environment %s: %w", id, env, err)
	}
	var a struct {
		Name       string `json:"name"`
		Properties struct {
			PrimaryRuntimeURL string `json:"primaryRuntimeUrl"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		return nil, fmt.Errorf("connector %s: the reply is not JSON: %v", id, err)
	}
	return &API{ID: ConnectorID(a.Name), Name: a.Name, Reply: body, PrimaryRuntimeURL: a.Properties.PrimaryRuntimeURL}, nil
}

// Connection is one of the user's connections to a connector.
type Connection struct {
	ID          string   `json:"id"` // the connection's name: what goes in {connectionId}
	Connector   string   `json:"connector"`
	DisplayName string   `json:"display_name"`
	Statuses    []string `json:"statuses,omitempty"`
	CreatedBy   string   `json:"created_by,omitempty"`
	Environment string   `json:"environment,omitempty"`
}

// Connected reports whether the connection's status is Connected.
func (c Connection) Connected() bool {
	for _, s := range c.Statuses {
		if strings.EqualFold(s, "Connected") {
			return true
		}
	}
	return false
}

// Connections lists the user's connections to connector id in env, or to
// every connector when id is "".
func (c *Client) Connections(ctx context.Context, env, id string) ([]Connection, error) {
	u := c.powerAppsURL("/providers/Microsoft.PowerApps/connections", env)
	if id != "" {
		u = c.powerAppsURL("/providers/Microsoft.PowerApps/apis/"+url.PathEscape(APIName(id))+"/connections", env)
	}
	var out []Connection
	err := c.list(ctx, u, AudiencePowerApps, func(raw json.RawMessage) error {
		var k struct {
			Name       string `json:"name"`
			Properties struct {
				DisplayName string `json:"displayName"`
				APIID       string `json:"apiId"`
				Statuses    []struct {
					Status string `json:"status"`
				} `json:"statuses"`
				CreatedBy struct {
					DisplayName       string `json:"displayName"`
					Email             string `json:"email"`
					UserPrincipalName string `json:"userPrincipalName"`
				} `json:"createdBy"`
				Environment struct {
					Name string `json:"name"`
				} `json:"environment"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(raw, &k); err != nil {
			return err
		}
		conn := Connection{ID: k.Name, Connector: id, DisplayName: k.Properties.DisplayName, Environment: env}
		if conn.Connector == "" {
			conn.Connector = ConnectorID(k.Properties.APIID)
		}
		for _, s := range k.Properties.Statuses {
			conn.Statuses = append(conn.Statuses, s.Status)
		}
		switch {
		case k.Properties.CreatedBy.Email != "":
			conn.CreatedBy = k.Properties.CreatedBy.Email
		case k.Properties.CreatedBy.UserPrincipalName != "":
			conn.CreatedBy = k.Properties.CreatedBy.UserPrincipalName
		default:
			conn.CreatedBy = k.Properties.CreatedBy.DisplayName
		}
		out = append(out, conn)
		return nil
	})
	if err != nil {
		if id == "" {
			return nil, fmt.Errorf("connections in environment %s: %w", env, err)
		}
		return nil, fmt.Errorf("connections to %s in environment %s: %w", id, env, err)
	}
	return out, nil
}

// ManagedAPI fetches a Logic Apps managed API's definition (route 2):
// subscription sub, Azure location loc, connector id.
func (c *Client) ManagedAPI(ctx context.Context, sub, loc, id string) (json.RawMessage, error) {
	u := c.endpoints.ARM + "/subscriptions/" + url.PathEscape(sub) + "/providers/Microsoft.Web/locations/" +
		url.PathEscape(loc) + "/managedApis/" + url.PathEscape(id) + "?api-version=" + ARMAPIVersion + "&export=true"
	return c.get(ctx, u, AudienceARM)
}

// APIName is the platform's name of connector id (shared_<id>).
func APIName(id string) string {
	if strings.HasPrefix(id, "shared_") {
		return id
	}
	return "shared_" + id
}

// ConnectorID is the reference site's id of an API name or API resource id
// (/providers/Microsoft.PowerApps/apis/shared_office365 -> office365).
func ConnectorID(name string) string {
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return strings.TrimPrefix(name, "shared_")
}

func (c *Client) powerAppsURL(path, env string) string {
	q := url.Values{}
	q.Set("api-version", PowerAppsAPIVersion)
	if env != "" {
		q.Set("$filter", "environment eq '"+strings.ReplaceAll(env, "'", "''")+"'")
	}
	return c.endpoints.PowerApps + path + "?" + q.Encode()
}

// list follows nextLink pages of a {"value": [...]} reply.
func (c *Client) list(ctx context.Context, u, audience string, each func(json.RawMessage) error) error {
	first, err := url.Parse(u)
	if err != nil {
		return err
	}
	for page := 0; u != ""; page++ {
		if page == maxListPages {
			return fmt.Errorf("more than %d pages of results: stopped", maxListPages)
		}
		body, err := c.get(ctx, u, audience)
		if err != nil {
			return err
		}
		var r struct {
			Value    []json.RawMessage `json:"value"`
			NextLink string            `json:"nextLink"`
		}
		if err := json.Unmarshal(body, &r); err != nil {
			return fmt.Errorf("the reply of %s is not a list: %v", redactURL(u), err)
		}
		for _, v := range r.Value {
			if err := each(v); err != nil {
				return fmt.Errorf("the reply of %s: %v", redactURL(u), err)
			}
		}
		u = ""
		if r.NextLink != "" {
			// A next link elsewhere would take our token with it.
			next, err := url.Parse(r.NextLink)
			if err != nil || next.Scheme != first.Scheme || next.Host != first.Host {
				return fmt.Errorf("%w: the next page is on another host (%s)", ErrRefused, redactURL(r.NextLink))
			}
			u = next.String()
		}
	}
	return nil
}

// get sends an authenticated GET and returns the body of a 2xx reply.
func (c *Client) get(ctx context.Context, u, audience string) ([]byte, error) {
	resp, body, err := c.do(ctx, http.MethodGet, u, audience, nil, nil)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, statusError(resp, body, "")
	}
	return body, nil
}

// do sends one request with a bearer token for audience, retrying once
// with a fresh token when the service says the token is no longer valid.
func (c *Client) do(ctx context.Context, method, u, audience string, header http.Header, body []byte) (*http.Response, []byte, error) {
	for attempt := 0; ; attempt++ {
		tok, err := c.tokens.get(ctx, audience)
		if err != nil {
			return nil, nil, err
		}
		var rd io.Reader
		if body != nil {
			rd = strings.NewReader(string(body))
		}
		req, err := http.NewRequestWithContext(ctx, method, u, rd)
		if err != nil {
			return nil, nil, err
		}
		for k, vs := range header {
			req.Header[k] = vs
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("User-Agent", "connex")
		if body != nil && req.Header.Get("Content-Type") == "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.http.Do(req)
		if err != nil {
			return nil, nil, fmt.Errorf("%s %s: %w", method, redactURL(u), err)
		}
		data, over, err := limitio.ReadAll(resp.Body, maxReply)
		resp.Body.Close()
		if err != nil {
			return nil, nil, fmt.Errorf("%s %s: reading the reply: %w", method, redactURL(u), err)
		}
		if over {
			return nil, nil, fmt.Errorf("%s %s: the reply is larger than %d MiB: refused", method, redactURL(u), maxReply>>20)
		}
		if resp.StatusCode == http.StatusUnauthorized && attempt == 0 {
			// The token may have been revoked or expired early: ask for a
			// new one once.
			c.tokens.drop(audience)
			continue
		}
		return resp, data, nil
	}
}

func redactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(an invalid URL)"
	}
	p.RawQuery = ""
	p.User = nil
	return p.String()
}
