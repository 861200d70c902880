package call

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/secrets"
)

// Errors of credential binding. Nothing is sent when Build returns them.
var (
	// ErrRebind: the credentials were saved for another host or for
	// https, and the call would take them elsewhere (a later import may
	// have moved the connector). Input.Rebind (the CLI's --rebind)
	// sends them anyway.
	ErrRebind = errors.New("credentials are bound to another host")
	// ErrPlainHTTP: credentials over plain http to a host that is not
	// this machine. Input.Insecure (the CLI's --insecure) allows it.
	ErrPlainHTTP = errors.New("credentials over plain http")
)

// Binding is where credentials may be sent: a scheme and a host[:port],
// lower case.
type Binding struct {
	Scheme string
	Host   string
}

// IsZero reports an unbound credential.
func (b Binding) IsZero() bool { return b.Host == "" }

func (b Binding) String() string { return b.Scheme + "://" + b.Host }

// DefinitionBinding is where the connector's definition sends calls now:
// its scheme and host. Zero when it declares no host.
func DefinitionBinding(conn *catalog.Connector) Binding {
	host := strings.ToLower(strings.TrimSpace(conn.Host))
	if host == "" {
		return Binding{}
	}
	return Binding{Scheme: conn.Scheme(), Host: host}
}

// ProfileCredentials turns a saved auth profile and its secret into
// credentials bound where the profile is bound.
func ProfileCredentials(p secrets.Profile, secret string) *Credentials {
	return &Credentials{Type: p.Type, Secret: secret, In: p.In, Name: p.KeyName,
		Bound: Binding{Scheme: p.Scheme, Host: p.Host}}
}

// BindProfile returns the profile bound to a host. A profile saved before
// bindings existed is bound now, and saved so, to where the connector's
// definition points at this first call after the upgrade: from then on a
// merge that moves the connector cannot take the secret along. (Nothing
// better is known of where such a profile was meant to go; a merge that
// moved the connector before this first call shows in the import summary
// and in 'connex changes'.) bound reports that the binding was made now.
func BindProfile(store *secrets.Store, p secrets.Profile, conn *catalog.Connector, now time.Time) (out secrets.Profile, bound bool, err error) {
	if p.Bound() {
		return p, false, nil
	}
	b := DefinitionBinding(conn)
	if b.IsZero() {
		return p, false, nil
	}
	out, err = store.Bind(p.Connector, p.Name, b.Scheme, b.Host, now)
	if err != nil {
		return p, false, err
	}
	return out, true, nil
}

// Target is where the request goes: its URL's scheme and host.
func (r *Request) Target() Binding {
	if r.URL == nil {
		return Binding{}
	}
	return Binding{Scheme: strings.ToLower(r.URL.Scheme), Host: canonicalHost(r.URL.Scheme, r.URL.Host)}
}

// canonicalHost lower-cases a host[:port] and drops the scheme's default
// port, so https://h:443 and https://h are one host.
func canonicalHost(scheme, host string) string {
	host = strings.ToLower(host)
	if h, port, err := net.SplitHostPort(host); err == nil {
		if scheme == "https" && port == "443" || scheme == "http" && port == "80" {
			if strings.Contains(h, ":") {
				return "[" + h + "]"
			}
			return h
		}
	}
	return host
}

// isLoopback reports a host on this machine: localhost or a loopback IP.
func isLoopback(host string) bool {
	h := host
	if hh, _, err := net.SplitHostPort(host); err == nil {
		h = hh
	}
	h = strings.Trim(h, "[]")
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func hostOnly(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		return strings.ToLower(h)
	}
	return strings.ToLower(host)
}

// checkBinding refuses credentials that would leave for another host
// than the one they are bound to (unbound credentials: the connector's
// definition), over http when they were bound to https, or over plain
// http to another machine. A base URL the caller gives that points to
// this machine (the mock, a local proxy) is the user's own choice and is
// allowed.
func checkBinding(conn *catalog.Connector, base string, in Input) error {
	if in.Auth == nil || in.Auth.Type == "" || in.Auth.Type == AuthNone {
		return nil
	}
	u, err := url.Parse(base)
	if err != nil {
		return fmt.Errorf("build request: base URL: %w", err)
	}
	target := Binding{Scheme: strings.ToLower(u.Scheme), Host: canonicalHost(strings.ToLower(u.Scheme), u.Host)}
	local := isLoopback(target.Host)
	if in.BaseURL != "" && strings.HasSuffix(hostOnly(target.Host), ".localhost") {
		// A base URL the user (or connex's mock placeholder) names under
		// .localhost (RFC 6761: this machine). Not trusted from a
		// catalogue, whose host a resolver might map elsewhere.
		local = true
	}
	bound := in.Auth.Bound
	if bound.IsZero() {
		bound = DefinitionBinding(conn)
	}
	bound = Binding{Scheme: strings.ToLower(bound.Scheme), Host: canonicalHost(strings.ToLower(bound.Scheme), bound.Host)}
	moved := bound.IsZero() || target.Host != bound.Host || bound.Scheme == "https" && target.Scheme != "https"
	if moved && !(in.BaseURL != "" && local) && !in.Rebind {
		what := "to " + target.String()
		if target.Host == bound.Host {
			what = "over " + target.Scheme + " (downgraded from https)"
		}
		return fmt.Errorf("%s: %w: the %s credentials of %s are bound to %s; this call would send them %s. Nothing was sent. "+
			"If you trust the new address (see 'connex changes': an import may have moved the connector), call again with --rebind",
			conn.ID, ErrRebind, in.Auth.Type, conn.ID, bound.String(), what)
	}
	if target.Scheme == "http" && !local && !in.Insecure {
		return fmt.Errorf("%s: %w: the %s credentials would cross the network unencrypted to %s. Nothing was sent. Use https, or pass --insecure to send them anyway",
			conn.ID, ErrPlainHTTP, in.Auth.Type, target.String())
	}
	return nil
}

// FindProfile returns the connector's auth profile by name: saved under
// its id, else under one of its aliases (an id it had before a merge gave
// it the site's). The profile's binding still decides where it may go.
func FindProfile(store *secrets.Store, conn *catalog.Connector, name string) (secrets.Profile, error) {
	p, err := store.Get(conn.ID, name)
	if err == nil || !errors.Is(err, secrets.ErrNotFound) {
		return p, err
	}
	for _, alias := range conn.Aliases {
		if q, aerr := store.Get(alias, name); aerr == nil {
			return q, nil
		}
	}
	return p, err
}
