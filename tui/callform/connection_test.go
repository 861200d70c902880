package callform

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/ppfake"
	"github.com/connex-dev/connex/platform"
)

// A connector of this test's own making whose definition is the
// platform's: its operation's path starts with {connectionId}.
const widgetsSwagger = `{"swagger":"2.0","info":{"title":"Widgets","version":"1.0"},
"host":"westeurope.azure-apim.net","basePath":"/apim/widgets",
"paths":{"/{connectionId}/widgets/{widget}":{"get":{"operationId":"GetWidget",
"parameters":[{"name":"connectionId","in":"path","required":true,"type":"string","x-ms-visibility":"internal"},
{"name":"widget","in":"path","required":true,"type":"string"}],
"responses":{"200":{"description":"ok","schema":{"type":"object","properties":{"colour":{"type":"string"}}}}}}}}}`

func widgetsConnector() (*catalog.Connector, *catalog.Operation) {
	conn := &catalog.Connector{ID: "widgets", Name: "Widgets", Host: "westeurope.azure-apim.net", BasePath: "/apim/widgets",
		Schemes: []string{"https"}, ViaConnection: true,
		Operations: []*catalog.Operation{{ID: "GetWidget", Name: "Get a widget", Method: "GET", Path: "/{connectionId}/widgets/{widget}",
			Parameters: []catalog.Parameter{
				{Key: "connectionId", Name: "connectionId", In: "path", Required: true, Type: "string", Visibility: catalog.VisibilityInternal},
				{Key: "widget", Name: "widget", In: "path", Required: true, Type: "string"},
			}}}}
	return conn, conn.Operation("GetWidget")
}

// startFake serves the widgets connector with one environment and the
// given connections.
func startFake(t *testing.T, conns ...ppfake.Connection) (*ppfake.Server, func() (*platform.Client, string, error)) {
	t.Helper()
	apis := map[string]*ppfake.API{"widgets": {ID: "widgets",
		Reply:   json.RawMessage(`{"name":"shared_widgets","id":"/providers/Microsoft.PowerApps/apis/shared_widgets","properties":{"displayName":"Widgets"}}`),
		Swagger: json.RawMessage(widgetsSwagger)}}
	const token = "test-token-widgets"
	fake, err := ppfake.Start(apis, ppfake.Options{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fake.Close() })
	fake.AddEnvironment(ppfake.Environment{Name: "env-1", DisplayName: "Contoso", Default: true})
	for _, c := range conns {
		fake.AddConnection(c)
	}
	signIn := func() (*platform.Client, string, error) {
		ep := platform.Endpoints{PowerApps: fake.URL, BAP: fake.URL, ARM: fake.URL}
		return platform.New(platform.StaticToken{Token: token}, platform.Options{Endpoints: ep}), "env-1", nil
	}
	return fake, signIn
}

func connectionForm(t *testing.T, signIn func() (*platform.Client, string, error)) (*Model, *fakeDo) {
	t.Helper()
	fd := &fakeDo{}
	conn, op := widgetsConnector()
	opts := testOptions(t, "sampleweather", "GetCurrentWeather", fd)
	opts.Connector, opts.Operation, opts.Platform = conn, op, signIn
	return newTestForm(t, opts, 100, 40), fd
}

// Issue 12: a connector called through a connection lists the user's
// connections (in a command), previews the runtime URL with the chosen
// connection and sends through the platform, never to its host.
func TestFormCallsThroughAConnection(t *testing.T) {
	fake, signIn := startFake(t,
		ppfake.Connection{Name: "shared-widgets-broken", Connector: "widgets", Environment: "env-1", DisplayName: "Old widgets", Status: "Error"},
		ppfake.Connection{Name: "shared-widgets-1", Connector: "widgets", Environment: "env-1", DisplayName: "My widgets", Status: "Connected"})
	m, fd := connectionForm(t, signIn)

	tf := m.fields[m.focus]
	if tf.kind != fieldText || tf.key != "widget" {
		t.Fatalf("first field: %v %q; want the widget parameter (connectionId is the picker's)", tf.kind, tf.key)
	}
	var target *field
	for _, f := range m.fields {
		if f.kind == fieldTarget {
			target = f
		}
	}
	if got := strings.Join(target.names, "|"); got != "your connection|local mock|base URL" {
		t.Fatalf("Send to offers %q; a connector called through a connection has no real host target", got)
	}
	cf := m.connField()
	if got := strings.Join(cf.choices, ","); got != "shared-widgets-broken,shared-widgets-1" {
		t.Fatalf("connections %q", got)
	}
	if cf.value() != "shared-widgets-1" {
		t.Fatalf("picked %q; want the connected one", cf.value())
	}
	scr := screen(m)
	for _, want := range []string{"→ your connection shared-widgets-1", "Connection", "[My widgets (Connected)]", "Old widgets (Error)", "environment env-1"} {
		if !strings.Contains(scr, want) {
			t.Errorf("screen lacks %q:\n%s", want, scr)
		}
	}
	if strings.Contains(scr, "Auth profile") || strings.Contains(scr, "connectionId *") {
		t.Errorf("the auth profile and connectionId are the connection's, not shown:\n%s", scr)
	}

	typeText(m, "w/../42")
	if m.req == nil {
		t.Fatalf("no preview: %v", m.buildErr)
	}
	wantURL := fake.URL + "/apim/widgets/shared-widgets-1/widgets/w%2F..%2F42"
	if got := m.req.URL.String(); got != wantURL {
		t.Fatalf("preview URL %s, want %s", got, wantURL)
	}
	if strings.Contains(m.previewText(), "test-token-widgets") {
		t.Fatal("the preview holds a real token")
	}
	// A path value with ../ is refused by the platform client: nothing sent.
	n := len(fake.Requests())
	press(m, "ctrl+s")
	if !strings.Contains(m.status, "the call failed") || len(fake.Requests()) != n {
		t.Fatalf("status %q, %d requests after %d", m.status, len(fake.Requests()), n)
	}

	for range len("w/../42") {
		press(m, "backspace")
	}
	typeText(m, "42")
	press(m, "ctrl+s")
	if m.state != stateResponse {
		t.Fatalf("state %v, status %q", m.state, m.status)
	}
	if len(fd.reqs) != 0 {
		t.Fatalf("%d requests went to the direct sender", len(fd.reqs))
	}
	reqs := fake.Requests()
	last := reqs[len(reqs)-1]
	if last.Method != "GET" || last.Path != "/apim/widgets/shared-widgets-1/widgets/42" || last.Token != "test-token-widgets" {
		t.Fatalf("last request %+v", last)
	}
	if got := string(m.resp.raw); got != `{"colour":"string"}`+"\n" && got != `{"colour":"string"}` {
		t.Fatalf("body %q", got)
	}

	// The mock stays a choice, with its own connectionId field.
	press(m, "esc", "tab")
	if m.fields[m.focus].kind != fieldTarget {
		t.Fatalf("tab from the widget went to field %d, not over the hidden ones to Send to", m.focus)
	}
	press(m, "right")
	if m.target() != targetMock || m.viaConn {
		t.Fatalf("target %q", m.target())
	}
	if !strings.Contains(screen(m), "connectionId *  string") {
		t.Fatalf("with the mock, connectionId is typed:\n%s", screen(m))
	}
}

// Without a sign-in the picker says so, and nothing is sent.
func TestFormConnectionNotSignedIn(t *testing.T) {
	for name, signIn := range map[string]func() (*platform.Client, string, error){
		"no platform": nil,
		"not signed in": func() (*platform.Client, string, error) {
			return nil, "", fmt.Errorf("%w: token: CONNEX_ACCESS_TOKEN is not set; run connex login", platform.ErrNotSignedIn)
		},
	} {
		t.Run(name, func(t *testing.T) {
			m, fd := connectionForm(t, signIn)
			if !strings.Contains(screen(m), "[not signed in: run connex login]") {
				t.Fatalf("screen:\n%s", screen(m))
			}
			typeText(m, "42")
			press(m, "ctrl+s")
			if m.status != "nothing was sent: not signed in: run connex login" || len(fd.reqs) != 0 || m.state != stateForm {
				t.Fatalf("status %q, %d sent, state %v", m.status, len(fd.reqs), m.state)
			}
		})
	}
}

// An environment without a connection to the connector says how to make
// one.
func TestFormConnectionNone(t *testing.T) {
	_, signIn := startFake(t)
	m, _ := connectionForm(t, signIn)
	if !errors.Is(m.connectionProblem(), m.connErr) || !strings.Contains(screen(m), "no connection to widgets in environment env-1") {
		t.Fatalf("screen:\n%s", screen(m))
	}
}

// Route 2 in the picker: the account's Logic Apps API connections to the
// connector are listed after the Power Platform ones (by resource id), the
// connected one is chosen, and the call goes by dynamicInvoke on Azure
// Resource Manager.
func TestFormCallsThroughALogicAppsConnection(t *testing.T) {
	const rid = "/subscriptions/0000-1111/resourceGroups/rg1/providers/Microsoft.Web/connections/widgets-la"
	fake, signIn := startFake(t,
		ppfake.Connection{Name: "shared-widgets-broken", Connector: "widgets", Environment: "env-1", DisplayName: "Old widgets", Status: "Error"},
		ppfake.Connection{Name: "la-widgets", Connector: "widgets", Environment: "other-env", DisplayName: "Logic widgets", Status: "Connected", ResourceID: rid})
	m, fd := connectionForm(t, signIn)
	cf := m.connField()
	if got := strings.Join(cf.choices, ","); got != "shared-widgets-broken,"+rid {
		t.Fatalf("connections %q", got)
	}
	if cf.value() != rid {
		t.Fatalf("picked %q; want the connected one", cf.value())
	}
	scr := screen(m)
	for _, want := range []string{"[Logic widgets (Connected; Logic Apps widgets-la)]", "environment env-1 and your Azure subscriptions"} {
		if !strings.Contains(scr, want) {
			t.Errorf("screen lacks %q:\n%s", want, scr)
		}
	}
	typeText(m, "42")
	// The preview is what goes on the wire: the dynamicInvoke POST.
	if m.req == nil || m.req.Method != "POST" || m.req.URL.String() != fake.URL+rid+"/dynamicInvoke?api-version=2016-06-01" ||
		!strings.Contains(m.previewText(), `"path":"/widgets/42"`) {
		t.Fatalf("preview %v (%v):\n%s", m.req, m.buildErr, m.previewText())
	}
	press(m, "ctrl+s")
	if m.state != stateResponse || len(fd.reqs) != 0 {
		t.Fatalf("state %v, status %q, %d sent directly", m.state, m.status, len(fd.reqs))
	}
	reqs := fake.Requests()
	last := reqs[len(reqs)-1]
	if last.Method != "POST" || last.Path != rid+"/dynamicInvoke" ||
		!strings.Contains(string(last.Body), `"path":"/widgets/42"`) {
		t.Fatalf("last request %+v %s", last, last.Body)
	}
	if got := string(m.resp.raw); got != `{"colour":"string"}`+"\n" && got != `{"colour":"string"}` {
		t.Fatalf("body %q", got)
	}
}
