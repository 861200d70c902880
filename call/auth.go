package call

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/connex-dev/connex/catalog"
)

// Auth types a profile can hold.
const (
	AuthAPIKey = "apikey"
	AuthBasic  = "basic"
	AuthBearer = "bearer"
	AuthNone   = "none"
)

// ErrAuth: credentials that cannot be applied to the connector.
var ErrAuth = errors.New("cannot apply credentials")

// Credentials are resolved credentials for one call.
type Credentials struct {
	Type string // apikey, basic, bearer
	// Secret is the API key, "user:password" for basic, or the token.
	Secret string
	// In and Name locate an API key ("header" or "query", and its name);
	// empty: as the connector declares.
	In   string
	Name string
	// Bound is where the credentials may be sent (the auth profile's
	// binding); zero: the connector's definition as it is now. See
	// Input.Rebind.
	Bound Binding
}

// AuthTypeFor maps a connector's declared auth type to the profile type
// that serves it: oauth2 is a bearer token the user supplies.
func AuthTypeFor(t string) string {
	switch strings.ToLower(t) {
	case "apikey", "api_key", "apikeyauth":
		return AuthAPIKey
	case "basic", "basicauth":
		return AuthBasic
	case "oauth2", "oauth", "bearer", "aad", "oauthsetting":
		return AuthBearer
	}
	return ""
}

// DeclaredAPIKey returns where the connector declares its API key.
func DeclaredAPIKey(conn *catalog.Connector) (in, name string, ok bool) {
	for _, a := range conn.AuthTypes {
		if AuthTypeFor(a.Type) == AuthAPIKey && a.ParamName != "" {
			in = strings.ToLower(a.In)
			if in != catalog.InQuery {
				in = catalog.InHeader
			}
			return in, a.ParamName, true
		}
	}
	return "", "", false
}

// DefaultAuthType is the profile type the connector's first declared auth
// needs, or "" when it declares none that connex can apply.
func DefaultAuthType(conn *catalog.Connector) string {
	for _, a := range conn.AuthTypes {
		if t := AuthTypeFor(a.Type); t != "" {
			return t
		}
	}
	return ""
}

// apply adds the credentials to req: headers directly, query parameters
// returned (already encoded) for the caller to append.
func (c *Credentials) apply(conn *catalog.Connector, req *Request) ([]string, error) {
	if c == nil || c.Type == "" || c.Type == AuthNone {
		return nil, nil
	}
	if c.Secret == "" {
		return nil, fmt.Errorf("%w: the %s secret is empty", ErrAuth, c.Type)
	}
	req.AuthType = c.Type
	switch c.Type {
	case AuthAPIKey:
		in, name := c.In, c.Name
		if in == "" || name == "" {
			din, dname, ok := DeclaredAPIKey(conn)
			if !ok && name == "" {
				return nil, fmt.Errorf("%w: connector %s declares no API key parameter; set one with 'connex auth set %s --type apikey --key-name NAME'", ErrAuth, conn.ID, conn.ID)
			}
			if in == "" {
				in = din
			}
			if name == "" {
				name = dname
			}
		}
		req.secrets = append(req.secrets, c.Secret, url.QueryEscape(c.Secret))
		if strings.EqualFold(in, catalog.InQuery) {
			req.SecretQuery = append(req.SecretQuery, name)
			return []string{url.QueryEscape(name) + "=" + url.QueryEscape(c.Secret)}, nil
		}
		req.Header.Set(name, c.Secret)
		req.SecretHeaders = append(req.SecretHeaders, http.CanonicalHeaderKey(name))
	case AuthBasic:
		user, pass, ok := strings.Cut(c.Secret, ":")
		if !ok {
			return nil, fmt.Errorf("%w: a basic secret is user:password (no colon found)", ErrAuth)
		}
		enc := base64.StdEncoding.EncodeToString([]byte(user + ":" + pass))
		req.Header.Set("Authorization", "Basic "+enc)
		req.SecretHeaders = append(req.SecretHeaders, "Authorization")
		req.secrets = append(req.secrets, enc)
		if pass != "" {
			req.secrets = append(req.secrets, pass)
		}
	case AuthBearer:
		req.Header.Set("Authorization", "Bearer "+c.Secret)
		req.SecretHeaders = append(req.SecretHeaders, "Authorization")
		req.secrets = append(req.secrets, c.Secret)
	default:
		return nil, fmt.Errorf("%w: unknown auth type %q (want apikey, basic or bearer)", ErrAuth, c.Type)
	}
	return nil, nil
}

// alwaysSecretHeaders carry credentials whatever the connector says.
var alwaysSecretHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie"}

// isSecretHeader reports whether the header must be masked.
func (r *Request) isSecretHeader(name string) bool {
	name = http.CanonicalHeaderKey(name)
	for _, h := range alwaysSecretHeaders {
		if h == name {
			return true
		}
	}
	for _, h := range r.SecretHeaders {
		if http.CanonicalHeaderKey(h) == name {
			return true
		}
	}
	return false
}

func (r *Request) isSecretQuery(name string) bool {
	for _, q := range r.SecretQuery {
		if q == name {
			return true
		}
	}
	return false
}

// Mask is what replaces a secret in every output.
const Mask = "****"

// Scrub replaces every secret value of the request found in s by the mask:
// a server may echo credentials back in a body or an error.
func (r *Request) Scrub(s string) string {
	for _, sec := range r.secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, Mask)
		}
	}
	return s
}

// ScrubBytes is Scrub for a body.
func (r *Request) ScrubBytes(b []byte) []byte {
	if len(r.secrets) == 0 {
		return b
	}
	return []byte(r.Scrub(string(b)))
}

// ScrubHeader is a copy of a response's headers with every value scrubbed
// (a server may echo credentials back in a header too).
func (r *Request) ScrubHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, vv := range h {
		for _, v := range vv {
			out[k] = append(out[k], r.Scrub(v))
		}
	}
	return out
}

// HeaderLines are a response's headers as "Name: value" lines, names in
// order and values scrubbed, as `connex call -i` and the explorer's
// response page show them. They are not sanitised for a terminal: the
// caller does that where it writes them.
func (r *Request) HeaderLines(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var lines []string
	for _, k := range keys {
		for _, v := range h[k] {
			lines = append(lines, k+": "+r.Scrub(v))
		}
	}
	return lines
}

// maskHeaderValue keeps the scheme word of an Authorization value
// ("Bearer ****") so a reader still sees which kind was sent.
func maskHeaderValue(v string) string {
	if scheme, _, ok := strings.Cut(v, " "); ok && (strings.EqualFold(scheme, "Bearer") || strings.EqualFold(scheme, "Basic")) {
		return scheme + " " + Mask
	}
	return Mask
}

// MaskedHeader returns the request headers with secrets masked.
func (r *Request) MaskedHeader() http.Header {
	out := make(http.Header, len(r.Header))
	for k, vv := range r.Header {
		for _, v := range vv {
			if r.isSecretHeader(k) {
				v = maskHeaderValue(v)
			} else {
				v = r.Scrub(v)
			}
			out[k] = append(out[k], v)
		}
	}
	return out
}

// MaskedURL is the URL with secret query values masked.
func (r *Request) MaskedURL() string {
	if r.URL == nil {
		return ""
	}
	return r.Scrub(maskQuery(r.URL, r.isSecretQuery, Mask))
}

// maskQuery rewrites u's query keeping its order, replacing the values of
// secret parameters by repl (which is written as is, not escaped).
func maskQuery(u *url.URL, secret func(string) bool, repl string) string {
	if u.RawQuery == "" {
		return u.String()
	}
	c := *u
	c.RawQuery = ""
	c.ForceQuery = false
	parts := strings.Split(u.RawQuery, "&")
	for i, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		if secret(name) {
			parts[i] = k + "=" + repl
		}
	}
	return c.String() + "?" + strings.Join(parts, "&")
}
