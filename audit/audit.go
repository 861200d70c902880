// Package audit reads Power Automate flows and Logic Apps workflows as
// makers export them (a solution .zip, a legacy package .zip, an unpacked
// solution folder, a flow definition.json, a workflow.json), finds every
// action and trigger that calls a connector, and checks them against the
// catalogue: which connectors and operations a flow uses, whether it needs
// a premium licence and because of which action, what is deprecated and
// what replaces it, what is preview or internal, which known issues and
// throttling limits apply, and what the catalogue does not know.
//
// It has no user interface: cmd/connex prints a Report as text, Markdown
// or JSON. Inputs are untrusted: sizes, entry counts, compression ratios,
// entry names and nesting depth are all bounded (see Limits).
package audit

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/lazyre"
)

// Options tune an Auditor.
type Options struct {
	Limits Limits // zero fields take DefaultLimits
}

// Auditor checks flows against one catalogue. It is not safe for
// concurrent use (it caches compiled path templates).
type Auditor struct {
	cat   *catalog.Catalog
	lim   Limits
	alias map[string]*catalog.Connector
	tmpls map[*catalog.Connector][]template
}

// New returns an Auditor for the catalogue c.
func New(c *catalog.Catalog, opts Options) *Auditor {
	a := &Auditor{cat: c, lim: opts.Limits.withDefaults(),
		alias: map[string]*catalog.Connector{}, tmpls: map[*catalog.Connector][]template{}}
	for _, conn := range c.Connectors {
		for _, al := range conn.Aliases {
			a.alias[strings.ToLower(al)] = conn
		}
	}
	return a
}

// Load reads the flows of one input path without checking them: see the
// package doc for the inputs understood.
func Load(p string, lim Limits) ([]*Flow, error) {
	lim = lim.withDefaults()
	docs, err := readInput(p, lim)
	if err != nil {
		return nil, err
	}
	flows := make([]*Flow, 0, len(docs))
	var errs []error
	for _, d := range docs {
		f, err := parseFlow(d, lim)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		flows = append(flows, f)
	}
	return flows, errors.Join(errs...)
}

// Report is the result of an audit: per flow, and in total.
type Report struct {
	Flows      []FlowReport   `json:"flows"`
	Connectors []ConnectorUse `json:"connectors"`
	// Verdict is premium when any flow is.
	Verdict
	Unknown []Unknown   `json:"unknown"`
	Errors  []ReadError `json:"errors"`
}

// FlowReport is one flow's audit.
type FlowReport struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	Verdict
	Connectors []ConnectorUse `json:"connectors"`
	Unknown    []Unknown      `json:"unknown"`
	Calls      []Call         `json:"calls"`
}

// Verdict is the licence verdict of one flow or of the whole input, one
// type so both are worked out by the same code. Embedded, its fields sit
// in the JSON where the embedding struct names it.
type Verdict struct {
	// Premium is true when a call uses a premium or a custom connector,
	// or a step is a premium built-in (HTTP, HTTP request trigger);
	// PremiumBecause lists what makes it so ([] when none).
	Premium        bool      `json:"premium"`
	PremiumBecause []CallRef `json:"premium_because"`
	// UnknownTier counts the calls to connectors the catalogue does not
	// hold (custom ones aside): a standard verdict holds only for the
	// rest.
	UnknownTier int `json:"unknown_tier"`
}

// Licence is the verdict in two words: "PREMIUM licence", "standard
// licence", or "licence unknown" when no call makes it premium but some
// go to connectors the catalogue does not hold.
func (v Verdict) Licence() string {
	switch {
	case v.Premium:
		return "PREMIUM licence"
	case v.UnknownTier > 0:
		return "licence unknown"
	}
	return "standard licence"
}

func newVerdict() Verdict { return Verdict{PremiumBecause: []CallRef{}} }

// premiumCall records a call that makes the flow premium.
func (v *Verdict) premiumCall(ref CallRef) {
	v.Premium = true
	v.PremiumBecause = append(v.PremiumBecause, ref)
}

// CallRef names one action of one flow, and why it makes the flow premium.
type CallRef struct {
	Flow      string `json:"flow"`
	Action    string `json:"action"`
	Connector string `json:"connector,omitempty"` // "" for a built-in step
	Operation string `json:"operation,omitempty"`
	Reason    string `json:"reason"` // one of the Reason constants
}

// Why a call makes a flow premium (CallRef.Reason).
const (
	ReasonPremiumConnector = "premium connector"
	// ReasonCustomConnector: every custom connector needs a premium
	// licence, whatever it calls.
	ReasonCustomConnector = "custom connector"
	ReasonHTTPAction      = "built-in HTTP action"
	ReasonHTTPTrigger     = "HTTP request trigger"
	ReasonHTTPResponse    = "HTTP response action"
)

// String is the call in one line: "connector/operation in flow: action
// (reason)", or "flow: action (reason)" for a built-in step.
func (r CallRef) String() string {
	s := r.Flow + ": " + r.Action
	if op := r.Target(); op != "" {
		s = op + " in " + s
	}
	return s + " (" + r.Reason + ")"
}

// Target is what the call calls: "connector/operation", the connector
// alone when the operation is unknown, "" for a built-in step.
func (r CallRef) Target() string {
	if r.Connector == "" || r.Operation == "" {
		return r.Connector
	}
	return r.Connector + "/" + r.Operation
}

// ConnectorUse is one connector a flow (or the whole input) uses.
type ConnectorUse struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Tier       string          `json:"tier"` // standard, premium, or "" when unknown
	Deprecated bool            `json:"deprecated"`
	Preview    bool            `json:"preview"`
	Throttling []catalog.Limit `json:"throttling"`
	DocsURL    string          `json:"docs_url,omitempty"`
	Operations []OperationUse  `json:"operations"`
	Uses       int             `json:"uses"`
}

// OperationUse is one operation used, with what the catalogue says of it.
type OperationUse struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Kind       string `json:"kind"` // action or trigger
	Deprecated bool   `json:"deprecated"`
	// ReplacedBy is the operation to use instead ("" when none is known);
	// ReplacedByConnector its connector when it lives in another one.
	ReplacedBy          string   `json:"replaced_by"`
	ReplacedByConnector string   `json:"replaced_by_connector,omitempty"`
	Preview             bool     `json:"preview"`
	Internal            bool     `json:"internal"`
	KnownIssues         []string `json:"known_issues"`
	// MatchedBy says how an older export's call was tied to the
	// operation: "path" (method and path template), "hint" (the export's
	// swaggerOperationId, when the path matched nothing or was
	// ambiguous); empty when the flow named the operation id.
	MatchedBy []string `json:"matched_by,omitempty"`
	Uses      int      `json:"uses"`
	Actions   []string `json:"actions"` // "flow: action" (total) or "action" (per flow)
}

// Unknown is a connector or operation the catalogue does not hold.
type Unknown struct {
	Flow      string `json:"flow"`
	Action    string `json:"action"`
	Connector string `json:"connector"` // as the flow names it
	Operation string `json:"operation,omitempty"`
	Method    string `json:"method,omitempty"`
	Path      string `json:"path,omitempty"`
	Reason    string `json:"reason"`
}

// ReadError is an input, or a flow in it, that could not be read.
type ReadError struct {
	Path  string `json:"path"`
	Error string `json:"error"`
}

// Audit reads every input path and checks its flows. Inputs that cannot
// be read are listed in Report.Errors; the others are still audited.
func (a *Auditor) Audit(ctx context.Context, paths ...string) *Report {
	var flows []*Flow
	var errs []ReadError
	for _, p := range paths {
		if ctx.Err() != nil {
			errs = append(errs, ReadError{Path: p, Error: ctx.Err().Error()})
			continue
		}
		fs, err := Load(p, a.lim)
		flows = append(flows, fs...)
		if err != nil {
			for _, e := range splitJoined(err) {
				errs = append(errs, ReadError{Path: p, Error: e.Error()})
			}
		}
	}
	r := a.Check(flows)
	r.Errors = append(r.Errors, errs...)
	return r
}

func splitJoined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// resolved is one call tied to the catalogue.
type resolved struct {
	call      Call
	conn      *catalog.Connector // nil: unknown connector
	op        *catalog.Operation // nil: unknown operation
	matchedBy string
	reason    string // why conn or op is nil
	custom    bool   // conn is nil: a custom connector's environment-specific id
}

// Check checks flows already loaded.
func (a *Auditor) Check(flows []*Flow) *Report {
	r := &Report{Flows: []FlowReport{}, Connectors: []ConnectorUse{}, Verdict: newVerdict(), Unknown: []Unknown{}, Errors: []ReadError{}}
	total := newUseSet()
	for _, f := range flows {
		fr := FlowReport{Name: f.Name, Source: f.Source, Calls: f.Calls, Verdict: newVerdict(), Unknown: []Unknown{}}
		if fr.Calls == nil {
			fr.Calls = []Call{}
		}
		per := newUseSet()
		for _, c := range f.Calls {
			res := a.resolve(c)
			if res.conn == nil || res.op == nil {
				u := Unknown{Flow: f.Name, Action: c.Action, Connector: c.API, Operation: c.OperationID,
					Method: c.Method, Path: c.Path, Reason: res.reason}
				fr.Unknown = append(fr.Unknown, u)
				r.Unknown = append(r.Unknown, u)
			}
			if res.conn == nil {
				if res.custom {
					ref := CallRef{Flow: f.Name, Action: c.Action, Connector: c.API, Operation: c.OperationID, Reason: ReasonCustomConnector}
					fr.premiumCall(ref)
					r.premiumCall(ref)
				} else {
					fr.UnknownTier++
					r.UnknownTier++
				}
				continue
			}
			per.add(res, c.Action)
			total.add(res, f.Name+": "+c.Action)
			if res.conn.Tier == catalog.TierPremium {
				ref := CallRef{Flow: f.Name, Action: c.Action, Connector: res.conn.ID, Reason: ReasonPremiumConnector}
				if res.op != nil {
					ref.Operation = res.op.ID
				}
				fr.premiumCall(ref)
				r.premiumCall(ref)
			}
		}
		for _, s := range f.PremiumSteps {
			ref := CallRef{Flow: f.Name, Action: s.Action, Reason: premiumReason(s)}
			fr.premiumCall(ref)
			r.premiumCall(ref)
		}
		fr.Connectors = per.list()
		r.Flows = append(r.Flows, fr)
	}
	r.Connectors = total.list()
	return r
}

var customIDRe = lazyre.New(`(?i)-[0-9a-f]{10,}-[0-9a-f]{10,}$`)

// resolve ties one call to the catalogue.
func (a *Auditor) resolve(c Call) resolved {
	res := resolved{call: c}
	conn := a.connector(c.API)
	if conn == nil {
		res.reason = "connector not in the catalogue"
		if customIDRe.MatchString(c.API) {
			res.reason = "custom connector (its id is environment-specific; not in any public catalogue)"
			res.custom = true
		}
		if c.API == "" {
			res.reason = "the action names no connector"
		}
		return res
	}
	res.conn = conn
	if c.OperationID != "" {
		if op := conn.Operation(c.OperationID); op != nil {
			res.op = op
			return res
		}
		res.reason = "operation not in the catalogue's definition of " + conn.ID
		return res
	}
	tm, ok := a.tmpls[conn]
	if !ok {
		tm = compileTemplates(conn)
		a.tmpls[conn] = tm
	}
	best, ambiguous := matchPath(tm, c.Method, c.Path)
	hint := conn.Operation(c.Hint)
	if c.Hint == "" {
		hint = nil
	}
	switch {
	case best != nil && ambiguous == nil:
		res.op, res.matchedBy = best, "path"
	case best != nil && hint != nil && containsOp(ambiguous, hint):
		res.op, res.matchedBy = hint, "hint"
	case best != nil:
		// Equally good templates and no hint: take the first by id so
		// the answer is stable, and say so.
		sort.Slice(ambiguous, func(i, j int) bool { return ambiguous[i].ID < ambiguous[j].ID })
		res.op, res.matchedBy = ambiguous[0], "path (ambiguous: "+opIDs(ambiguous)+")"
	case hint != nil:
		res.op, res.matchedBy = hint, "hint"
	default:
		res.reason = fmt.Sprintf("no operation of %s matches %s %s", conn.ID, c.Method, c.Path)
		if c.Path == "" {
			res.reason = "the action gives neither an operation id nor a path"
		}
	}
	return res
}

func containsOp(ops []*catalog.Operation, op *catalog.Operation) bool {
	for _, o := range ops {
		if o == op {
			return true
		}
	}
	return false
}

func opIDs(ops []*catalog.Operation) string {
	ids := make([]string, len(ops))
	for i, o := range ops {
		ids[i] = o.ID
	}
	return strings.Join(ids, ", ")
}

// connector finds the connector an API name stands for: "shared_<id>" is
// the reference site's <id>; else the name itself, else an alias.
func (a *Auditor) connector(api string) *catalog.Connector {
	if api == "" {
		return nil
	}
	if id, ok := strings.CutPrefix(strings.ToLower(api), "shared_"); ok {
		if conn, ok := a.cat.Connector(id); ok {
			return conn
		}
	}
	if conn, ok := a.cat.Connector(api); ok {
		return conn
	}
	if conn, ok := a.alias[strings.ToLower(api)]; ok {
		return conn
	}
	if id, ok := strings.CutPrefix(strings.ToLower(api), "shared_"); ok {
		return a.alias[id]
	}
	return nil
}

// useSet gathers connector and operation uses.
type useSet struct {
	conns map[*catalog.Connector]*ConnectorUse
	ops   map[*catalog.Operation]*OperationUse
	order map[*catalog.Connector][]*catalog.Operation
}

func newUseSet() *useSet {
	return &useSet{conns: map[*catalog.Connector]*ConnectorUse{}, ops: map[*catalog.Operation]*OperationUse{},
		order: map[*catalog.Connector][]*catalog.Operation{}}
}

func (s *useSet) add(res resolved, action string) {
	cu, ok := s.conns[res.conn]
	if !ok {
		cu = &ConnectorUse{ID: res.conn.ID, Name: res.conn.Name, Tier: string(res.conn.Tier),
			Deprecated: res.conn.Deprecated, Preview: res.conn.Preview,
			Throttling: res.conn.Throttling, DocsURL: res.conn.DocumentationURL(), Operations: []OperationUse{}}
		if cu.Throttling == nil {
			cu.Throttling = []catalog.Limit{}
		}
		s.conns[res.conn] = cu
	}
	cu.Uses++
	if res.op == nil {
		return
	}
	ou, ok := s.ops[res.op]
	if !ok {
		op := res.op
		ou = &OperationUse{ID: op.ID, Name: op.Name, Kind: string(op.Kind), Deprecated: op.Deprecated,
			ReplacedBy: op.ReplacedBy, ReplacedByConnector: op.ReplacedByConnector, Preview: op.Preview,
			Internal: op.Visibility == catalog.VisibilityInternal, KnownIssues: knownIssues(res.conn, op),
			Actions: []string{}}
		if ou.Kind == "" {
			ou.Kind = string(catalog.KindAction)
			if res.call.Trigger {
				ou.Kind = string(catalog.KindTrigger)
			}
		}
		s.ops[res.op] = ou
		s.order[res.conn] = append(s.order[res.conn], res.op)
	}
	ou.Uses++
	ou.Actions = append(ou.Actions, action)
	if res.matchedBy != "" && !containsStr(ou.MatchedBy, res.matchedBy) {
		ou.MatchedBy = append(ou.MatchedBy, res.matchedBy)
	}
}

// list returns the connectors by id, each with its operations by id.
func (s *useSet) list() []ConnectorUse {
	out := make([]ConnectorUse, 0, len(s.conns))
	for conn, cu := range s.conns {
		ops := s.order[conn]
		sort.Slice(ops, func(i, j int) bool { return ops[i].ID < ops[j].ID })
		for _, op := range ops {
			cu.Operations = append(cu.Operations, *s.ops[op])
		}
		out = append(out, *cu)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// knownIssues returns the summaries of the connector's known issues that
// name the operation: by resolved id, or by id or display name in the
// issue's Operations text.
func knownIssues(conn *catalog.Connector, op *catalog.Operation) []string {
	out := []string{}
	for _, ki := range conn.KnownIssues {
		hit := containsStr(ki.OperationIDs, op.ID)
		if !hit && ki.Operations != "" {
			text := strings.ToLower(ki.Operations)
			hit = containsWord(text, strings.ToLower(op.ID)) ||
				(op.Name != "" && strings.Contains(text, strings.ToLower(op.Name)))
		}
		if hit {
			s := ki.Summary
			if s == "" {
				s = ki.Description
			}
			out = append(out, s)
		}
	}
	return out
}

func containsStr(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// containsWord reports whether w occurs in text not as part of a longer
// identifier ("SendEmail" does not name "SendEmailV2").
func containsWord(text, w string) bool {
	if w == "" {
		return false
	}
	isIdent := func(b byte) bool {
		return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
	}
	for i := 0; ; {
		j := strings.Index(text[i:], w)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(w)
		if (j == 0 || !isIdent(text[j-1])) && (end == len(text) || !isIdent(text[end])) {
			return true
		}
		i = j + 1
	}
}
