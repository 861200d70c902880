package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/connex-dev/connex/internal/lazyre"
)

// Flow is one flow read from an input, before it is checked against the
// catalogue.
type Flow struct {
	Name   string `json:"name"`
	Source string `json:"source"` // the file, or "archive.zip:entry"
	// Calls are the flow's actions and triggers that use a connector, in
	// document order (triggers first, then actions depth first, names
	// sorted within one level).
	Calls []Call `json:"calls"`
	// PremiumSteps are its built-in steps that need a premium licence
	// without calling a connector, in the same order.
	PremiumSteps []PremiumStep `json:"premium_steps,omitempty"`
}

// PremiumStep is a built-in trigger or action that makes a flow premium in
// Power Automate: the HTTP action (Http), HTTP Webhook (HttpWebhook), and
// the Request connector's "When a HTTP request is received" trigger
// (Request of kind Http) and Response action. The manual triggers share
// the Request type (kinds Button, PowerApp, PowerAppV2...): they are
// standard.
type PremiumStep struct {
	Action  string `json:"action"`
	Trigger bool   `json:"trigger,omitempty"`
	Type    string `json:"type"`
	Kind    string `json:"kind,omitempty"`
}

// What a premium step is, for the verdict (CallRef.Reason).
func (s PremiumStep) what() string {
	switch strings.ToLower(s.Type) {
	case "request":
		return ReasonHTTPTrigger
	case "response":
		return ReasonHTTPResponse
	}
	return ReasonHTTPAction
}

// premiumStep returns the step a of type typ when it is a premium built-in.
func premiumStep(name string, trigger bool, typ string, a map[string]any) (PremiumStep, bool) {
	kind := str(a["kind"])
	s := PremiumStep{Action: name, Trigger: trigger, Type: typ, Kind: kind}
	switch strings.ToLower(typ) {
	case "http", "httpwebhook", "response":
		return s, true
	case "request":
		return s, trigger && strings.EqualFold(kind, "http")
	}
	return s, false
}

// Call is one action or trigger that uses a connector, as the flow
// writes it.
type Call struct {
	// Action is the action's name, with its enclosing scopes:
	// "Try/Apply_to_each/Get_item".
	Action  string `json:"action"`
	Trigger bool   `json:"trigger,omitempty"`
	Type    string `json:"type"` // OpenApiConnection, ApiConnection, ...
	// API is the connector's API name as the flow names it once
	// connection references are followed: "shared_office365",
	// "office365" (Logic Apps managed API).
	API string `json:"api"`
	// OperationID is the operation id the flow names (new shape); empty
	// in older exports, which give Method and Path instead.
	OperationID string `json:"operation_id,omitempty"`
	Method      string `json:"method,omitempty"`
	Path        string `json:"path,omitempty"`
	// Hint is the operation id some older exports keep in
	// metadata.flowSystemMetadata.swaggerOperationId: used only when the
	// path matches no operation, or several equally well.
	Hint string `json:"hint,omitempty"`
}

// connectorTypes are the action types that call a connector.
var connectorTypes = map[string]bool{
	"openapiconnection":             true,
	"openapiconnectionwebhook":      true,
	"openapiconnectionnotification": true,
	"apiconnection":                 true,
	"apiconnectionwebhook":          true,
	"apiconnectionnotification":     true,
}

// parseFlow reads one flow document.
func parseFlow(doc document, lim Limits) (*Flow, error) {
	data := trimBOM(doc.data)
	if err := checkDepth(data, lim.MaxJSONDepth); err != nil {
		return nil, fmt.Errorf("%s: %w", doc.source, err)
	}
	var root map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&root); err != nil {
		return nil, fmt.Errorf("%s: not a flow (JSON object expected): %w", doc.source, err)
	}
	def, props := findDefinition(root)
	if def == nil {
		return nil, fmt.Errorf("%s: %w (no definition with triggers or actions)", doc.source, ErrNotFlow)
	}
	refs := connectionMap(root, props, def)
	f := &Flow{Name: doc.name, Source: doc.source}
	if f.Name == "" {
		f.Name = str(props["displayName"])
	}
	if f.Name == "" {
		f.Name = nameFromFile(doc.source)
	}
	w := walker{refs: refs, lim: lim, flow: f}
	if err := w.block(obj(def["triggers"]), "", true, 0); err != nil {
		return nil, fmt.Errorf("%s: %w", doc.source, err)
	}
	if err := w.block(obj(def["actions"]), "", false, 0); err != nil {
		return nil, fmt.Errorf("%s: %w", doc.source, err)
	}
	return f, nil
}

// findDefinition finds the workflow definition in the shapes flows come
// in: {properties: {definition}} (Power Automate, both layouts, and a
// Logic Apps ARM resource), {definition} (Logic Apps Standard
// workflow.json), or a bare definition.
func findDefinition(root map[string]any) (def, props map[string]any) {
	props = obj(root["properties"])
	if d := obj(props["definition"]); isDefinition(d) {
		return d, props
	}
	if d := obj(root["definition"]); isDefinition(d) {
		return d, root
	}
	if isDefinition(root) {
		return root, map[string]any{}
	}
	return nil, nil
}

func isDefinition(m map[string]any) bool {
	if m == nil {
		return false
	}
	_, t := m["triggers"]
	_, a := m["actions"]
	return t || a
}

// connectionMap maps a connection key ("shared_office365_1") to the API
// name it stands for ("shared_office365"), from connectionReferences
// (Power Automate) and $connections (Logic Apps, older flows).
func connectionMap(root, props, def map[string]any) map[string]string {
	out := map[string]string{}
	add := func(m map[string]any) {
		for key, v := range m {
			ref := obj(v)
			api := lastSegment(str(ref["id"]))
			if api == "" {
				api = lastSegment(str(obj(ref["api"])["name"]))
			}
			if api == "" {
				api = lastSegment(str(ref["apiName"]))
			}
			if api != "" {
				out[key] = api
			}
		}
	}
	add(obj(props["connectionReferences"]))
	for _, params := range []map[string]any{obj(def["parameters"]), obj(props["parameters"]), obj(root["parameters"])} {
		c := obj(params["$connections"])
		add(obj(c["value"]))
		add(obj(c["defaultValue"]))
	}
	return out
}

type walker struct {
	refs map[string]string
	lim  Limits
	flow *Flow
}

// block walks one map of actions (or triggers) and what nests in them.
func (w *walker) block(actions map[string]any, prefix string, trigger bool, depth int) error {
	if depth > w.lim.MaxActionDepth {
		return fmt.Errorf("%w: actions nest more than %d levels (at %s)", ErrTooDeep, w.lim.MaxActionDepth, prefix)
	}
	names := make([]string, 0, len(actions))
	for n := range actions {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		a := obj(actions[name])
		if a == nil {
			continue
		}
		full := name
		if prefix != "" {
			full = prefix + "/" + name
		}
		typ := str(a["type"])
		if connectorTypes[strings.ToLower(typ)] {
			w.flow.Calls = append(w.flow.Calls, w.call(full, trigger, a))
		} else if s, ok := premiumStep(full, trigger, typ, a); ok {
			w.flow.PremiumSteps = append(w.flow.PremiumSteps, s)
		}
		// Scopes, loops and conditions hold "actions"; conditions
		// "else.actions"; switches "cases.<name>.actions" and
		// "default.actions".
		if err := w.block(obj(a["actions"]), full, false, depth+1); err != nil {
			return err
		}
		if err := w.block(obj(obj(a["else"])["actions"]), full+"/else", false, depth+1); err != nil {
			return err
		}
		cases := obj(a["cases"])
		cnames := make([]string, 0, len(cases))
		for n := range cases {
			cnames = append(cnames, n)
		}
		sort.Strings(cnames)
		for _, c := range cnames {
			if err := w.block(obj(obj(cases[c])["actions"]), full+"/"+c, false, depth+1); err != nil {
				return err
			}
		}
		if err := w.block(obj(obj(a["default"])["actions"]), full+"/default", false, depth+1); err != nil {
			return err
		}
	}
	return nil
}

var connKeyRe = lazyre.New(`\[\s*'([^']+)'\s*\]`)

func (w *walker) call(name string, trigger bool, a map[string]any) Call {
	in := obj(a["inputs"])
	host := obj(in["host"])
	c := Call{Action: name, Trigger: trigger, Type: str(a["type"])}
	c.OperationID = str(host["operationId"])
	// The API: apiId (new shape), else the connection's key followed
	// through the connection references.
	c.API = lastSegment(str(host["apiId"]))
	if c.API == "" {
		key := str(host["connectionName"])
		conn := obj(host["connection"])
		if key == "" {
			if m := connKeyRe.FindStringSubmatch(str(conn["name"])); m != nil {
				key = m[1]
			}
		}
		if key == "" {
			key = str(conn["referenceName"]) // Logic Apps Standard
		}
		if api, ok := w.refs[key]; ok {
			c.API = api
		} else if key != "" {
			c.API = trimConnSuffix(key)
		}
	}
	if c.API == "" {
		c.API = lastSegment(str(obj(host["api"])["runtimeUrl"]))
	}
	if c.OperationID == "" {
		c.Method, c.Path = str(in["method"]), str(in["path"])
		if fetch := obj(in["fetch"]); fetch != nil && c.Path == "" {
			c.Method = str(fetch["method"])
			c.Path = str(obj(fetch["pathTemplate"])["template"])
		}
		if c.Method == "" && c.Path != "" {
			// Webhook subscriptions omit the method: it is POST.
			c.Method = "post"
		}
		c.Method = strings.ToUpper(c.Method)
		c.Hint = str(obj(obj(a["metadata"])["flowSystemMetadata"])["swaggerOperationId"])
	}
	return c
}

var connSuffixRe = lazyre.New(`_\d+$`)

// trimConnSuffix turns a connection key into an API name: the designer
// adds "_1", "_2" when a flow holds several connections of one API.
func trimConnSuffix(key string) string { return connSuffixRe.ReplaceAllString(key, "") }

// lastSegment is the last element of an id or URL path:
// "/providers/Microsoft.PowerApps/apis/shared_office365" -> "shared_office365".
func lastSegment(s string) string {
	s = strings.TrimRight(strings.TrimSpace(s), "/")
	if i := strings.LastIndexAny(s, "/"); i >= 0 {
		s = s[i+1:]
	}
	return s
}

var guidSuffixRe = lazyre.New(`(?i)-[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$`)

// nameFromFile names a flow from its file when nothing better is known:
// a solution's "Workflows/Send-report-1AD9...B9.json" is "Send-report".
func nameFromFile(source string) string {
	if i := strings.LastIndex(source, ":"); i >= 0 && i > 1 {
		source = source[i+1:]
	}
	base := path.Base(strings.ReplaceAll(source, "\\", "/"))
	base = strings.TrimSuffix(base, path.Ext(base))
	return guidSuffixRe.ReplaceAllString(base, "")
}

func obj(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// checkDepth refuses JSON nested deeper than max before it is decoded:
// encoding/json would stop at 10,000 levels, far past what a walk of the
// result should face.
func checkDepth(data []byte, max int) error {
	depth := 0
	inStr, esc := false, false
	for _, b := range data {
		if inStr {
			switch {
			case esc:
				esc = false
			case b == '\\':
				esc = true
			case b == '"':
				inStr = false
			}
			continue
		}
		switch b {
		case '"':
			inStr = true
		case '{', '[':
			depth++
			if depth > max {
				return fmt.Errorf("%w: JSON nests more than %d levels", ErrTooDeep, max)
			}
		case '}', ']':
			depth--
		}
	}
	return nil
}
