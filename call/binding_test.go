package call

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/secrets"
	"github.com/zalando/go-keyring"
)

// tapListener records every byte any client sends to it.
type tapListener struct {
	net.Listener
	mu    sync.Mutex
	bytes bytes.Buffer
	conns int
}

func (l *tapListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.conns++
	l.mu.Unlock()
	return &tapConn{Conn: c, l: l}, nil
}

func (l *tapListener) seen() (int, []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.conns, append([]byte(nil), l.bytes.Bytes()...)
}

type tapConn struct {
	net.Conn
	l *tapListener
}

func (c *tapConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.l.mu.Lock()
	c.l.bytes.Write(p[:n])
	c.l.mu.Unlock()
	return n, err
}

// hostileServer is the new host: a plain-http listener on 127.0.0.1 that
// records every byte it receives.
func hostileServer(t *testing.T) (*httptest.Server, *tapListener) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tap := &tapListener{Listener: ln}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"contacts":[]}`))
	}))
	srv.Listener = tap
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, tap
}

// The credential hijack of the hostile-sources issue, end to end through
// the library: a profile saved for the connector's host; a later import
// with the same title and another host, over http, merges into the
// connector; the call is refused and the new host's listener gets no byte
// of the secret. With an explicit rebind the same call does send it (so
// the test can fail).
func TestCredentialHijackRefused(t *testing.T) {
	keyring.MockInit()
	srv, tap := hostileServer(t)
	newHost := strings.TrimPrefix(srv.URL, "http://")

	const user, password = "victim", "s3cret-Passw0rd"
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cat := &catalog.Catalog{}
	cat.Merge(&catalog.Catalog{Connectors: []*catalog.Connector{{
		ID: "mailer", Folder: "Mailer", Name: "Mailer", Host: "api.mailer.example", BasePath: "/v3", Schemes: []string{"https"},
		AuthTypes:  []catalog.AuthType{{Name: "Basic", Type: "basic"}},
		Operations: []*catalog.Operation{{ID: "GetContacts", Name: "Get contacts", Kind: catalog.KindAction, Method: "GET", Path: "/contacts"}},
		Sources:    map[string]catalog.Source{catalog.SourceDefinition: {Kind: catalog.SourceDefinition, Ref: "defs/certified-connectors/Mailer/apiDefinition.swagger.json", At: at}},
	}}})
	conn, _ := cat.Connector("mailer")
	store := secrets.Open(t.TempDir(), secrets.Options{})
	b := DefinitionBinding(conn)
	if _, err := store.Set(secrets.Profile{Connector: conn.ID, Type: AuthBasic, Scheme: b.Scheme, Host: b.Host}, user+":"+password); err != nil {
		t.Fatal(err)
	}

	// The later import: an API reply claiming the connector (its id), the
	// new host over http. (A claim by title alone no longer joins a
	// definitions record to another id; by id it does, and the API reply
	// wins the endpoint by precedence.)
	sum := cat.Merge(&catalog.Catalog{Connectors: []*catalog.Connector{{
		ID: "mailer", Name: "Mailer", Host: newHost, Schemes: []string{"http"},
		Operations: []*catalog.Operation{{ID: "GetContacts", Name: "Get contacts", Kind: catalog.KindAction, Method: "GET", Path: "/contacts"}},
		Sources:    map[string]catalog.Source{catalog.SourceAPI: {Kind: catalog.SourceAPI, Ref: "evil/apis/shared_mailer/api.json", At: at.Add(time.Hour)}},
	}}})
	if len(cat.Connectors) != 1 || len(sum.EndpointChanges) != 1 || !sum.EndpointChanges[0].Downgrade || sum.EndpointChanges[0].NewHost != newHost {
		t.Fatalf("the merge did not move the connector, or did not say so: %d connectors, %+v", len(cat.Connectors), sum)
	}
	conn, op, ok := cat.Operation("mailer", "GetContacts")
	if !ok || conn.Host != newHost {
		t.Fatalf("connector after the merge: %+v", conn)
	}

	prof, err := store.Get("mailer2", "")
	if errors.Is(err, secrets.ErrNotFound) {
		prof, err = store.Get("mailer", "")
	}
	if err != nil {
		t.Fatal(err)
	}
	secret, err := store.Secret(context.Background(), prof)
	if err != nil {
		t.Fatal(err)
	}
	send := func(in Input) error {
		req, err := Build(conn, op, in)
		if err != nil {
			return err
		}
		_, err = NewClient(ClientOptions{}).Do(context.Background(), req)
		return err
	}
	err = send(Input{Auth: ProfileCredentials(prof, secret)})
	if !errors.Is(err, ErrRebind) {
		t.Fatalf("call not refused: %v", err)
	}
	if !strings.Contains(err.Error(), "bound to https://api.mailer.example") || strings.Contains(err.Error(), password) {
		t.Errorf("message: %v", err)
	}
	enc := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
	if n, got := tap.seen(); n != 0 || bytes.Contains(got, []byte(password)) || bytes.Contains(got, []byte(enc)) {
		t.Fatalf("the new host got %d connections, %d bytes", n, len(got))
	}

	// An explicit rebind sends (to a loopback host, so no --insecure).
	if err := send(Input{Auth: ProfileCredentials(prof, secret), Rebind: true}); err != nil {
		t.Fatal(err)
	}
	if _, got := tap.seen(); !bytes.Contains(got, []byte("Basic "+enc)) {
		t.Fatalf("the rebound call did not carry the credentials: %q", got)
	}
}

// A profile saved before bindings existed is bound at its first call to
// the connector's definition as it is then; a later move is refused.
func TestLegacyProfileBoundOnFirstUse(t *testing.T) {
	keyring.MockInit()
	store := secrets.Open(t.TempDir(), secrets.Options{})
	if _, err := store.Set(secrets.Profile{Connector: "mailer", Type: AuthAPIKey}, "key-0123456789"); err != nil {
		t.Fatal(err)
	}
	conn := &catalog.Connector{ID: "mailer", Host: "API.mailer.example:443", Schemes: []string{"https"},
		AuthTypes: []catalog.AuthType{{Type: "apiKey", In: "header", ParamName: "X-Key"}}}
	op := &catalog.Operation{ID: "Get", Method: "GET", Path: "/x"}
	prof, _ := store.Get("mailer", "")
	now := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	prof, bound, err := BindProfile(store, prof, conn, now)
	if err != nil || !bound || prof.Scheme != "https" || prof.Host != "api.mailer.example:443" || !prof.BoundAt.Equal(now) {
		t.Fatalf("first use: %+v bound=%v err=%v", prof, bound, err)
	}
	if again, bound, _ := BindProfile(store, prof, conn, now.Add(time.Hour)); bound || again.BoundAt != prof.BoundAt {
		t.Fatal("a bound profile was bound again")
	}
	// The default port is the same host.
	if _, err := Build(conn, op, Input{Auth: ProfileCredentials(prof, "key-0123456789")}); err != nil {
		t.Fatalf("call to the bound host: %v", err)
	}
	moved := *conn
	moved.Host = "api.elsewhere.example"
	if _, err := Build(&moved, op, Input{Auth: ProfileCredentials(prof, "key-0123456789")}); !errors.Is(err, ErrRebind) {
		t.Fatalf("call to a moved connector: %v", err)
	}
}

func TestBindingRules(t *testing.T) {
	op := &catalog.Operation{ID: "Get", Method: "GET", Path: "/x"}
	https := &catalog.Connector{ID: "c", Host: "api.example.com", Schemes: []string{"https"}}
	httpOnly := &catalog.Connector{ID: "c", Host: "api.example.com", Schemes: []string{"http"}}
	local := &catalog.Connector{ID: "c", Host: "127.0.0.1:8080", Schemes: []string{"http"}}
	boundHTTPS := Binding{Scheme: "https", Host: "api.example.com"}
	boundHTTP := Binding{Scheme: "http", Host: "api.example.com"}
	creds := func(b Binding) *Credentials {
		return &Credentials{Type: AuthBearer, Secret: "tok-0123456789", Bound: b}
	}
	cases := []struct {
		name string
		conn *catalog.Connector
		in   Input
		want error
	}{
		{"same host", https, Input{Auth: creds(boundHTTPS)}, nil},
		{"no credentials go anywhere", httpOnly, Input{}, nil},
		{"downgrade to http", httpOnly, Input{Auth: creds(boundHTTPS)}, ErrRebind},
		{"downgrade, rebound, still plain http", httpOnly, Input{Auth: creds(boundHTTPS), Rebind: true}, ErrPlainHTTP},
		{"downgrade, rebound and insecure", httpOnly, Input{Auth: creds(boundHTTPS), Rebind: true, Insecure: true}, nil},
		{"bound to http, plain http to another machine", httpOnly, Input{Auth: creds(boundHTTP)}, ErrPlainHTTP},
		{"bound to http, insecure", httpOnly, Input{Auth: creds(boundHTTP), Insecure: true}, nil},
		{"upgrade to https is fine", https, Input{Auth: creds(boundHTTP)}, nil},
		{"unbound: the definition's host", https, Input{Auth: creds(Binding{})}, nil},
		{"unbound, base URL elsewhere", https, Input{Auth: creds(Binding{}), BaseURL: "https://evil.example"}, ErrRebind},
		{"base URL on this machine (mock, proxy)", https, Input{Auth: creds(boundHTTPS), BaseURL: "http://127.0.0.1:9999"}, nil},
		{"base URL elsewhere", https, Input{Auth: creds(boundHTTPS), BaseURL: "https://evil.example"}, ErrRebind},
		{"base URL elsewhere, rebound", https, Input{Auth: creds(boundHTTPS), BaseURL: "https://evil.example", Rebind: true}, nil},
		{"definition on this machine, bound elsewhere", local, Input{Auth: creds(boundHTTPS)}, ErrRebind},
		{"definition on this machine, bound there", local, Input{Auth: creds(Binding{Scheme: "http", Host: "127.0.0.1:8080"})}, nil},
		{"case and default port", https, Input{Auth: creds(Binding{Scheme: "HTTPS", Host: "API.example.com:443"})}, nil},
	}
	for _, c := range cases {
		_, err := Build(c.conn, op, c.in)
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

func TestBindingLocalhostNames(t *testing.T) {
	op := &catalog.Operation{ID: "Get", Method: "GET", Path: "/x"}
	conn := &catalog.Connector{ID: "c", Host: "api.example.com"}
	creds := &Credentials{Type: AuthBearer, Secret: "tok-0123456789", Bound: Binding{Scheme: "https", Host: "api.example.com"}}
	if _, err := Build(conn, op, Input{Auth: creds, BaseURL: "http://connex-mock.localhost"}); err != nil {
		t.Errorf("the mock placeholder: %v", err)
	}
	// From a catalogue, a .localhost host is not trusted to be local.
	evil := &catalog.Connector{ID: "c", Host: "evil.localhost", Schemes: []string{"http"}}
	bound := &Credentials{Type: AuthBearer, Secret: "tok-0123456789", Bound: Binding{Scheme: "http", Host: "evil.localhost"}}
	if _, err := Build(evil, op, Input{Auth: bound}); !errors.Is(err, ErrPlainHTTP) {
		t.Errorf("catalogue host under .localhost over http: %v", err)
	}
}
