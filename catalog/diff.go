package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/connex-dev/connex/internal/atomicfile"
)

// ReportVersion is the format version of a saved change report.
const ReportVersion = 1

// CauseImport is the Cause of a change report made by an import.
const CauseImport = "import"

// ChangesDir is the folder, inside the data folder, holding one JSON file
// per change report.
const ChangesDir = "changes"

// ErrCorruptReport marks a change report file that cannot be read.
var ErrCorruptReport = errors.New("change report is corrupt")

// ChangeReport is what changed between two catalogues: connectors added,
// removed, and changed (flags, display name, operations, parameters).
// Every list is sorted, so the same two catalogues always give the same
// report, byte for byte.
type ChangeReport struct {
	Version int       `json:"version"`
	At      time.Time `json:"at"` // when the report was made
	// Cause is what made the change: CauseImport, or "" for a refresh
	// (reports of older versions have none).
	Cause string `json:"cause,omitempty"`
	// The catalogues compared: their UpdatedAt and connector counts.
	OldUpdatedAt  time.Time      `json:"old_updated_at"`
	NewUpdatedAt  time.Time      `json:"new_updated_at"`
	OldConnectors int            `json:"old_connectors"`
	NewConnectors int            `json:"new_connectors"`
	Summary       ChangeSummary  `json:"summary"`
	Added         []ConnectorRef `json:"added"`
	Removed       []ConnectorRef `json:"removed"`
	// Renamed are connectors whose id or name changed: never reported as
	// removed and added. Their other changes are in Changed, under the
	// new id.
	Renamed []ConnectorRename `json:"renamed"`
	Changed []ConnectorChange `json:"changed"`
}

// ConnectorRename is a connector known under another id or name before.
type ConnectorRename struct {
	OldID   string `json:"old_id"`
	NewID   string `json:"new_id"`
	OldName string `json:"old_name"`
	NewName string `json:"new_name"`
	// Match says how the two were recognised as one: "alias" (the new
	// connector lists the old id, folder or API name), "name" (same
	// display name, folded) or "endpoint" (same host and base path).
	Match string `json:"match"`
}

// ChangeSummary counts the report's entries.
type ChangeSummary struct {
	Added   int `json:"added"`
	Removed int `json:"removed"`
	Renamed int `json:"renamed"`
	Changed int `json:"changed"`
	// EndpointChanges counts connectors whose host or scheme changed: a
	// trust decision (stored credentials stay bound to the old host).
	EndpointChanges      int `json:"endpoint_changes"`
	OperationsAdded      int `json:"operations_added"`
	OperationsRemoved    int `json:"operations_removed"`
	OperationsDeprecated int `json:"operations_deprecated"`
	ParameterChanges     int `json:"parameter_changes"`
}

// ConnectorRef names an added or removed connector.
type ConnectorRef struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Tier       Tier   `json:"tier,omitempty"`
	Preview    bool   `json:"preview,omitempty"`
	Operations int    `json:"operations"`
}

// ConnectorChange is everything that changed in one connector.
type ConnectorChange struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"` // the new display name
	Fields               []FieldChange     `json:"fields,omitempty"`
	OperationsAdded      []OperationRef    `json:"operations_added,omitempty"`
	OperationsRemoved    []OperationRef    `json:"operations_removed,omitempty"`
	OperationsDeprecated []OperationRef    `json:"operations_deprecated,omitempty"`
	Parameters           []ParameterChange `json:"parameters,omitempty"`
}

// Field names of FieldChange.
const (
	FieldName       = "name"
	FieldTier       = "tier"
	FieldPreview    = "preview"
	FieldProducts   = "products"
	FieldDeprecated = "deprecated"
	FieldHost       = "host"   // host and base path
	FieldScheme     = "scheme" // the scheme a call uses (https, http)
)

// FieldChange is one connector-level field that changed, as text.
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// OperationRef names an operation.
type OperationRef struct {
	ID   string        `json:"id"`
	Name string        `json:"name"`
	Kind OperationKind `json:"kind"`
}

// Kinds of ParameterChange.
const (
	ParamAdded    = "added"
	ParamRemoved  = "removed"
	ParamRequired = "required" // Old/New are "true"/"false"
	ParamType     = "type"
)

// ParameterChange is one parameter change of an operation present in
// both catalogues.
type ParameterChange struct {
	Operation string `json:"operation"` // operation id
	Key       string `json:"key"`
	Name      string `json:"name,omitempty"`
	Change    string `json:"change"`
	Old       string `json:"old,omitempty"`
	New       string `json:"new,omitempty"`
}

// Empty reports whether nothing changed.
func (r *ChangeReport) Empty() bool {
	return len(r.Added) == 0 && len(r.Removed) == 0 && len(r.Changed) == 0 && len(r.Renamed) == 0
}

// Diff compares two catalogues (either may be nil: an empty catalogue;
// the built-in sample catalogue counts as empty too, its invented
// connectors are not news).
// Connectors are matched by id, then, among those left, as the merge
// matches sources (package doc): a new connector that lists the old id as
// an alias (or shares its folder or API name), has the same folded display
// name, or the same host and base path is the old one renamed. A field is
// compared only when both sides
// know it (an empty tier or product list means "not known", for example
// in a catalogue imported from definitions only), so a first refresh
// after an import does not report every tier as changed.
func Diff(old, new *Catalog, at time.Time) *ChangeReport {
	if old != nil && old.Sample {
		old = nil
	}
	if new != nil && new.Sample {
		new = nil
	}
	r := &ChangeReport{Version: ReportVersion, At: at.UTC(), Added: []ConnectorRef{}, Removed: []ConnectorRef{},
		Renamed: []ConnectorRename{}, Changed: []ConnectorChange{}}
	oldBy := diffIndexConnectors(old)
	newBy := diffIndexConnectors(new)
	if old != nil {
		r.OldUpdatedAt, r.OldConnectors = old.UpdatedAt.UTC(), len(oldBy)
	}
	if new != nil {
		r.NewUpdatedAt, r.NewConnectors = new.UpdatedAt.UTC(), len(newBy)
	}
	renamedFrom := diffRenames(oldBy, newBy)
	for _, id := range diffKeys(newBy) {
		n := newBy[id]
		o, ok := oldBy[id]
		if ok && !sameCustomness(o, n) {
			ok = false // a custom connector set apart: another connector
		}
		if !ok {
			ren, renamed := renamedFrom[id]
			if !renamed {
				r.Added = append(r.Added, diffRefOf(n))
				continue
			}
			o = oldBy[ren.OldID]
			r.Renamed = append(r.Renamed, ren)
		}
		if ch := diffConnector(o, n); ch != nil {
			r.Changed = append(r.Changed, *ch)
		}
	}
	renamedOld := map[string]bool{}
	for _, ren := range renamedFrom {
		renamedOld[ren.OldID] = true
	}
	var joinedIx *identityIndex
	for _, id := range diffKeys(oldBy) {
		if n, ok := newBy[id]; (!ok || !sameCustomness(oldBy[id], n)) && !renamedOld[id] {
			// A connector joined to one that was already there (a
			// definitions folder the site now names) is not gone: the
			// one that lists its id as an alias holds it.
			if joinedIx == nil {
				joinedIx = newIdentityIndex(diffValues(newBy))
			}
			o := oldBy[id]
			if n := unique(joinedIx.byIDKey[strings.ToLower(o.ID)], func(c *Connector) bool {
				return sameCustomness(c, o) && !strings.EqualFold(c.ID, o.ID)
			}); n != nil {
				r.Renamed = append(r.Renamed, ConnectorRename{OldID: o.ID, NewID: n.ID, OldName: o.Name, NewName: n.Name, Match: MatchAlias})
				continue
			}
			r.Removed = append(r.Removed, diffRefOf(o))
		}
	}
	r.Summary = ChangeSummary{Added: len(r.Added), Removed: len(r.Removed), Renamed: len(r.Renamed), Changed: len(r.Changed)}
	for _, ch := range r.Changed {
		for _, f := range ch.Fields {
			if f.Field == FieldHost || f.Field == FieldScheme {
				r.Summary.EndpointChanges++
				break
			}
		}
		r.Summary.OperationsAdded += len(ch.OperationsAdded)
		r.Summary.OperationsRemoved += len(ch.OperationsRemoved)
		r.Summary.OperationsDeprecated += len(ch.OperationsDeprecated)
		r.Summary.ParameterChanges += len(ch.Parameters)
	}
	return r
}

// diffValues lists the connectors of an index, in id order.
func diffValues(by map[string]*Connector) []*Connector {
	out := make([]*Connector, 0, len(by))
	for _, id := range diffKeys(by) {
		out = append(out, by[id])
	}
	return out
}

// diffRenames pairs connectors only in new with connectors only in old
// that are the same connector under another id: keyed by the new id.
func diffRenames(oldBy, newBy map[string]*Connector) map[string]ConnectorRename {
	out := map[string]ConnectorRename{}
	var gone []*Connector
	for _, id := range diffKeys(oldBy) {
		if n, ok := newBy[id]; !ok || !sameCustomness(oldBy[id], n) {
			gone = append(gone, oldBy[id])
		}
	}
	if len(gone) == 0 {
		return out
	}
	ix := newIdentityIndex(gone)
	var fresh []*Connector
	for _, id := range diffKeys(newBy) {
		if o, ok := oldBy[id]; !ok || !sameCustomness(o, newBy[id]) {
			fresh = append(fresh, newBy[id])
		}
	}
	// Aliases first, for every new connector, so that a name match never
	// takes an old connector that another one claims by alias.
	claimed := map[*Connector]bool{}
	pair := func(n, o *Connector, how string) {
		claimed[o] = true
		ix.remove(o)
		out[n.ID] = ConnectorRename{OldID: o.ID, NewID: n.ID, OldName: o.Name, NewName: n.Name, Match: how}
	}
	for _, n := range fresh {
		if o := diffAliasMatch(ix, n); o != nil {
			pair(n, o, MatchAlias)
		}
	}
	for _, n := range fresh {
		if _, done := out[n.ID]; done {
			continue
		}
		if o, how := diffLooseMatch(ix, n); o != nil {
			pair(n, o, how)
		}
	}
	return out
}

// diffAliasMatch finds the old connector whose id, alias, folder or API
// name the new one lists (or that lists the new one's).
func diffAliasMatch(ix *identityIndex, n *Connector) *Connector {
	same := func(o *Connector) bool { return sameCustomness(o, n) }
	for _, k := range n.idKeys() {
		if o := unique(ix.byIDKey[k], same); o != nil {
			return o
		}
	}
	for _, k := range n.nameKeys() {
		if o := unique(ix.byNameKey[k], same); o != nil {
			return o
		}
	}
	return nil
}

// diffLooseMatch: the same folded display name (the suffix "(Independent
// Publisher)" folded only for an independent publisher's connector), else
// the same host and base path; one candidate only.
func diffLooseMatch(ix *identityIndex, n *Connector) (*Connector, string) {
	same := func(o *Connector) bool { return sameCustomness(o, n) }
	if t := FoldTitle(n.Name); t != "" {
		if o := unique(ix.byTitle[t], same); o != nil {
			return o, MatchName
		}
		nIP := HasIPSuffix(n.Name)
		if o := unique(ix.byBase[FoldTitleBase(n.Name)], func(o *Connector) bool {
			if !same(o) || HasIPSuffix(o.Name) == nIP {
				return false
			}
			if nIP {
				return o.isIndependent()
			}
			return n.isIndependent()
		}); o != nil {
			return o, MatchName
		}
	}
	if e := n.endpointKey(); e != "" {
		if o := unique(ix.byEndpoint[e], same); o != nil {
			return o, MatchEndpoint
		}
	}
	return nil, ""
}

func diffIndexConnectors(c *Catalog) map[string]*Connector {
	out := map[string]*Connector{}
	if c == nil {
		return out
	}
	for _, conn := range c.Connectors {
		if conn != nil {
			if _, dup := out[conn.ID]; !dup {
				out[conn.ID] = conn
			}
		}
	}
	return out
}

func diffKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func diffRefOf(c *Connector) ConnectorRef {
	return ConnectorRef{ID: c.ID, Name: c.Name, Tier: c.Tier, Preview: c.Preview, Operations: len(c.Operations)}
}

// diffSiteKnown reports whether a connector's site flags (preview) are known:
// it was read from the site or a list, or carries a tier or products.
func diffSiteKnown(c *Connector) bool {
	if c.Tier != TierUnknown || len(c.Products) > 0 {
		return true
	}
	_, site := c.Sources[SourceSite]
	_, list := c.Sources[SourceList]
	return site || list
}

func diffConnector(o, n *Connector) *ConnectorChange {
	ch := &ConnectorChange{ID: n.ID, Name: n.Name}
	field := func(name, a, b string) {
		if a != b {
			ch.Fields = append(ch.Fields, FieldChange{Field: name, Old: a, New: b})
		}
	}
	if o.Name != "" && n.Name != "" {
		field(FieldName, o.Name, n.Name)
	}
	if o.Tier != TierUnknown && n.Tier != TierUnknown {
		field(FieldTier, string(o.Tier), string(n.Tier))
	}
	if diffSiteKnown(o) && diffSiteKnown(n) {
		field(FieldPreview, strconv.FormatBool(o.Preview), strconv.FormatBool(n.Preview))
	}
	if len(o.Products) > 0 && len(n.Products) > 0 {
		field(FieldProducts, diffProductNames(o), diffProductNames(n))
	}
	field(FieldDeprecated, strconv.FormatBool(o.Deprecated), strconv.FormatBool(n.Deprecated))
	if o.Host != "" && n.Host != "" {
		// Where calls (and stored credentials) would go: reported so a
		// user sees a source that moved a connector.
		field(FieldHost, strings.ToLower(o.Host)+o.BasePath, strings.ToLower(n.Host)+n.BasePath)
		field(FieldScheme, o.Scheme(), n.Scheme())
	}
	diffOperations(ch, o, n)
	if len(ch.Fields) == 0 && len(ch.OperationsAdded) == 0 && len(ch.OperationsRemoved) == 0 &&
		len(ch.OperationsDeprecated) == 0 && len(ch.Parameters) == 0 {
		return nil
	}
	return ch
}

// diffProductNames is the product set as sorted, comma-separated text.
func diffProductNames(c *Connector) string {
	names := make([]string, 0, len(c.Products))
	seen := map[string]bool{}
	for _, p := range c.Products {
		if !seen[p.Name] {
			seen[p.Name] = true
			names = append(names, p.Name)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func diffIndexOperations(c *Connector) map[string]*Operation {
	out := make(map[string]*Operation, len(c.Operations))
	for _, op := range c.Operations {
		if op != nil {
			if _, dup := out[op.ID]; !dup {
				out[op.ID] = op
			}
		}
	}
	return out
}

func diffOpRef(op *Operation) OperationRef {
	return OperationRef{ID: op.ID, Name: op.Name, Kind: op.Kind}
}

func diffOperations(ch *ConnectorChange, o, n *Connector) {
	oldOps, newOps := diffIndexOperations(o), diffIndexOperations(n)
	for _, id := range diffKeys(newOps) {
		nop := newOps[id]
		oop, ok := oldOps[id]
		if !ok {
			ch.OperationsAdded = append(ch.OperationsAdded, diffOpRef(nop))
			continue
		}
		if nop.Deprecated && !oop.Deprecated {
			ch.OperationsDeprecated = append(ch.OperationsDeprecated, diffOpRef(nop))
		}
		ch.Parameters = append(ch.Parameters, diffParameters(id, oop, nop)...)
	}
	for _, id := range diffKeys(oldOps) {
		if _, ok := newOps[id]; !ok {
			ch.OperationsRemoved = append(ch.OperationsRemoved, diffOpRef(oldOps[id]))
		}
	}
}

func diffIndexParameters(op *Operation) map[string]Parameter {
	out := make(map[string]Parameter, len(op.Parameters))
	for _, p := range op.Parameters {
		if _, dup := out[p.Key]; !dup {
			out[p.Key] = p
		}
	}
	return out
}

func diffParameters(opID string, o, n *Operation) []ParameterChange {
	oldPs, newPs := diffIndexParameters(o), diffIndexParameters(n)
	var out []ParameterChange
	for _, key := range diffKeys(newPs) {
		np := newPs[key]
		op, ok := oldPs[key]
		if !ok {
			out = append(out, ParameterChange{Operation: opID, Key: key, Name: np.Name, Change: ParamAdded,
				New: np.Type + diffRequiredSuffix(np.Required)})
			continue
		}
		if op.Required != np.Required {
			out = append(out, ParameterChange{Operation: opID, Key: key, Name: np.Name, Change: ParamRequired,
				Old: strconv.FormatBool(op.Required), New: strconv.FormatBool(np.Required)})
		}
		if op.Type != "" && np.Type != "" && op.Type != np.Type {
			out = append(out, ParameterChange{Operation: opID, Key: key, Name: np.Name, Change: ParamType, Old: op.Type, New: np.Type})
		}
	}
	for _, key := range diffKeys(oldPs) {
		if _, ok := newPs[key]; !ok {
			p := oldPs[key]
			out = append(out, ParameterChange{Operation: opID, Key: key, Name: p.Name, Change: ParamRemoved,
				Old: p.Type + diffRequiredSuffix(p.Required)})
		}
	}
	return out
}

func diffRequiredSuffix(required bool) string {
	if required {
		return ", required"
	}
	return ""
}

// reportTimeFormat names report files: RFC 3339 in UTC with '-' for ':',
// so the names sort by time and are valid on every file system.
const reportTimeFormat = "2006-01-02T15-04-05Z"

// SaveReport writes the report to <dataDir>/changes/<time>.json
// atomically and returns the file's path. Reports made in the same second
// get a numbered suffix, never overwriting each other.
func SaveReport(dataDir string, r *ChangeReport) (string, error) {
	dir := filepath.Join(dataDir, ChangesDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("save change report: %w", err)
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", fmt.Errorf("save change report: %w", err)
	}
	data = append(data, '\n')
	stem := r.At.UTC().Format(reportTimeFormat)
	for i := 1; ; i++ {
		name := stem + ".json"
		if i > 1 {
			name = stem + "-" + strconv.Itoa(i) + ".json"
		}
		path := filepath.Join(dir, name)
		if _, err := os.Lstat(path); err == nil {
			continue
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("save change report %s: %w", path, err)
		}
		if err := atomicfile.WriteFile(path, data, 0o644); err != nil {
			return "", fmt.Errorf("save change report %s: %w", path, err)
		}
		return path, nil
	}
}

// LoadReports reads the saved reports made at or after since (all of them
// for a zero time), oldest first. A folder without reports gives none and
// no error. Files that cannot be read are skipped and named in the
// returned error (wrapping ErrCorruptReport), alongside the good reports.
func LoadReports(dataDir string, since time.Time) ([]*ChangeReport, error) {
	dir := filepath.Join(dataDir, ChangesDir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read change reports: %w", err)
	}
	type loaded struct {
		r    *ChangeReport
		name string
	}
	var out []loaded
	var errs []error
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".json") || strings.HasPrefix(name, ".") {
			continue
		}
		path := filepath.Join(dir, name)
		data, err := os.ReadFile(path)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", path, err))
			continue
		}
		var r ChangeReport
		if err := json.Unmarshal(data, &r); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w: %v (delete the file to silence this)", path, ErrCorruptReport, err))
			continue
		}
		if r.Version > ReportVersion {
			errs = append(errs, fmt.Errorf("%s: %w: format %d, this connex reads up to %d (upgrade connex)", path, ErrCorruptReport, r.Version, ReportVersion))
			continue
		}
		if r.At.Before(since) {
			continue
		}
		out = append(out, loaded{&r, name})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].r.At.Equal(out[j].r.At) {
			return out[i].r.At.Before(out[j].r.At)
		}
		// "<t>.json" was written before "<t>-2.json".
		a, b := out[i].name, out[j].name
		if len(a) != len(b) {
			return len(a) < len(b)
		}
		return a < b
	})
	reports := make([]*ChangeReport, len(out))
	for i, l := range out {
		reports[i] = l.r
	}
	return reports, errors.Join(errs...)
}
