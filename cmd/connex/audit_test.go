package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// auditFlow is a small invented flow that calls the built-in sample
// catalogue's connectors (so the test needs no import).
const auditFlow = `{"properties": {"displayName": "Sample audit", "definition": {
  "triggers": {"manual": {"type": "Request"}},
  "actions": {
    "Scope": {"type": "Scope", "actions": {
      "Make_task": {"type": "OpenApiConnection", "inputs": {"host": {"apiId": "/providers/Microsoft.PowerApps/apis/shared_sampletasks", "operationId": "CreateTaskV2"}}}
    }},
    "Custom": {"type": "OpenApiConnection", "inputs": {"host": {"apiId": "/providers/Microsoft.PowerApps/apis/shared_nosuchthing", "operationId": "Go\u001b[31m"}}}
  }}}}`

func runAudit(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"--data-dir", t.TempDir(), "audit"}, args...), strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func TestAuditCommand(t *testing.T) {
	dir := t.TempDir()
	flow := filepath.Join(dir, "definition.json")
	if err := os.WriteFile(flow, []byte(auditFlow), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runAudit(t, flow)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"Sample audit  [licence unknown]",
		"    action  CreateTaskV2  ",
		"? Custom: shared_nosuchthing Go␛[31m: connector not in the catalogue",
		"In all: 1 flow, 1 connector, 1 operation, 2 connector calls",
		"Licence: unknown (1 call to connectors not in the catalogue)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if n := len([]rune(l)); n > textWidth {
			t.Errorf("line of %d columns: %q", n, l)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Error("escape sequence from the flow reached the output")
	}
	if !strings.Contains(errOut, "SAMPLE catalogue") {
		t.Errorf("no sample notice: %q", errOut)
	}

	// --json: the documented keys, stable.
	out, _, code = runAudit(t, "--json", flow)
	if code != exitOK {
		t.Fatalf("json exit %d", code)
	}
	var r struct {
		Flows      []json.RawMessage `json:"flows"`
		Connectors []struct {
			ID         string `json:"id"`
			Name       string `json:"name"`
			Tier       string `json:"tier"`
			Operations []struct {
				ID         string  `json:"id"`
				Name       string  `json:"name"`
				Kind       string  `json:"kind"`
				Deprecated *bool   `json:"deprecated"`
				ReplacedBy *string `json:"replaced_by"`
				Uses       int     `json:"uses"`
			} `json:"operations"`
		} `json:"connectors"`
		Premium     *bool             `json:"premium"`
		UnknownTier *int              `json:"unknown_tier"`
		Unknown     []json.RawMessage `json:"unknown"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Flows) != 1 || len(r.Connectors) != 1 || r.Premium == nil || *r.Premium || len(r.Unknown) != 1 ||
		r.UnknownTier == nil || *r.UnknownTier != 1 {
		t.Fatalf("json: %s", out)
	}
	op := r.Connectors[0].Operations[0]
	if r.Connectors[0].ID != "sampletasks" || op.ID != "CreateTaskV2" || op.Kind != "action" || op.Uses != 1 || op.Deprecated == nil || op.ReplacedBy == nil {
		t.Errorf("json connector %+v", r.Connectors[0])
	}

	// --format md.
	out, _, code = runAudit(t, "--format", "md", flow)
	if code != exitOK || !strings.HasPrefix(out, "# Flow audit\n\n**Licence: unknown.** 1 call goes to connectors the catalogue does not hold") ||
		!strings.Contains(out, "| `sampletasks/CreateTaskV2` |") ||
		!strings.Contains(out, "| Scope/Make\\_task | `shared_sampletasks` | `sampletasks/CreateTaskV2` |") {
		t.Errorf("markdown (exit %d):\n%s", code, out)
	}

	// An unreadable input: the rest is reported, exit 2.
	bad := filepath.Join(dir, "bad.zip")
	if err := os.WriteFile(bad, []byte("PK\x03\x04 not really"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = runAudit(t, flow, bad)
	if code != exitPartial || !strings.Contains(out, "Sample audit") || !strings.Contains(out, "Could not read: 1 problem") ||
		!strings.Contains(errOut, "1 of the inputs could not be read fully") {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
	if _, _, code := runAudit(t, "--format", "xml", flow); code != exitFailure {
		t.Errorf("bad --format: exit %d", code)
	}
}
