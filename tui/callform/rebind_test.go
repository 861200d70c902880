package callform

import (
	"context"
	"strings"
	"testing"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/secrets"
)

// Issue 15: a profile saved for one host, a connector an import moved to
// another. The explorer asks before the secret goes there: the first
// ctrl+s sends nothing and says why, the second sends with the user's
// consent.
func TestFormAsksBeforeRebinding(t *testing.T) {
	t.Parallel()
	op := &catalog.Operation{ID: "ListItems", Name: "List items", Kind: catalog.KindAction, Method: "GET", Path: "/items"}
	conn := &catalog.Connector{ID: "movedapi", Name: "Moved API", Host: "api.new.example", Schemes: []string{"https"},
		AuthTypes:  []catalog.AuthType{{Name: "API key", Type: "apikey", In: "header", ParamName: "X-Key"}},
		Operations: []*catalog.Operation{op}}
	fd := &fakeDo{body: `{"items":[]}`}
	opts := testOptions(t, "sampletasks", "ListTasks", fd)
	opts.Connector, opts.Operation = conn, op
	opts.Profiles = func() ([]secrets.Profile, error) {
		return []secrets.Profile{{Connector: "movedapi", Name: "default", Type: call.AuthAPIKey, Storage: secrets.StorageEnv,
			Env: "MOVED_KEY", Scheme: "https", Host: "api.old.example"}}, nil
	}
	opts.Secret = func(context.Context, secrets.Profile) (string, error) { return "s3cr3t-canary-value", nil }
	m := newTestForm(t, opts, 100, 30)

	press(m, "ctrl+s")
	if len(fd.reqs) != 0 {
		t.Fatalf("sent %d requests before the user agreed", len(fd.reqs))
	}
	if !strings.Contains(m.status, "bound to https://api.old.example") || !strings.Contains(m.status, "press ctrl+s again") {
		t.Fatalf("status %q", m.status)
	}
	press(m, "ctrl+s")
	if len(fd.reqs) != 1 || fd.reqs[0].URL.Host != "api.new.example" || fd.reqs[0].Header.Get("X-Key") != "s3cr3t-canary-value" {
		t.Fatalf("after consent: %d requests %+v", len(fd.reqs), fd.reqs)
	}
}
