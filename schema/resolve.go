package schema

import (
	"cmp"
	"encoding/json"
	"sync"
)

// Resolution limits.
const (
	// DefaultMaxDepth is the ref-expansion depth used when Resolve is
	// given maxDepth <= 0.
	DefaultMaxDepth = 12
	// MaxResolvedNodes bounds the size of one resolved tree: definitions
	// that reference each other many times over would otherwise grow
	// exponentially. Nodes past the budget are marked Truncated.
	MaxResolvedNodes = 20000
)

// Resolver inlines $refs into a connector's definitions. It parses each
// definition once and is safe for concurrent use, so one Resolver per
// connector serves every operation.
type Resolver struct {
	defs map[string]json.RawMessage

	mu     sync.Mutex
	parsed map[string]*Schema // nil value: absent or unreadable
}

// NewResolver returns a resolver over the connector's definitions.
func NewResolver(defs map[string]json.RawMessage) *Resolver {
	return &Resolver{defs: defs, parsed: map[string]*Schema{}}
}

// Resolve returns a copy of s with every local $ref inlined, so the result
// can be walked without the definitions. A ref already being expanded on
// the path from the root gives a node with Cycle set; an absent target
// gives Missing. maxDepth (<= 0: DefaultMaxDepth) bounds the nesting of the
// result; deeper nodes are marked Truncated. allOf parts are merged into
// their node. s itself is not changed.
func Resolve(s *Schema, defs map[string]json.RawMessage, maxDepth int) *Schema {
	return NewResolver(defs).Resolve(s, maxDepth)
}

// Resolve is the package-level Resolve with this resolver's cache.
func (r *Resolver) Resolve(s *Schema, maxDepth int) *Schema {
	if s == nil {
		return nil
	}
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	st := &resolveState{r: r, maxDepth: maxDepth, budget: MaxResolvedNodes, onPath: map[string]bool{}}
	return st.resolve(s, 0)
}

// Parse parses and resolves raw in one step; see Parse and Resolve.
func (r *Resolver) Parse(raw json.RawMessage, maxDepth int) (*Schema, error) {
	s, err := Parse(raw)
	if err != nil || s == nil {
		return nil, err
	}
	return r.Resolve(s, maxDepth), nil
}

// definition returns the parsed definition, or nil when it is absent or
// unreadable.
func (r *Resolver) definition(name string) *Schema {
	r.mu.Lock()
	defer r.mu.Unlock()
	if s, ok := r.parsed[name]; ok {
		return s
	}
	var s *Schema
	if raw, ok := r.defs[name]; ok {
		s, _ = Parse(raw)
	}
	r.parsed[name] = s
	return s
}

type resolveState struct {
	r        *Resolver
	maxDepth int
	budget   int
	onPath   map[string]bool
}

func (st *resolveState) resolve(s *Schema, depth int) *Schema {
	if s == nil {
		return nil
	}
	st.budget--
	if s.Ref != "" {
		return st.resolveRef(s, depth)
	}
	out := shallow(s)
	if depth >= st.maxDepth || st.budget <= 0 {
		if hasChildren(s) {
			out.Truncated = true
		}
		return out
	}
	st.children(out, s, depth)
	if len(s.AllOf) > 0 {
		parts := make([]*Schema, 0, len(s.AllOf))
		for _, p := range s.AllOf {
			parts = append(parts, st.resolve(p, depth+1))
		}
		mergeAllOf(out, parts)
	}
	return out
}

func (st *resolveState) resolveRef(s *Schema, depth int) *Schema {
	name, ok := RefName(s.Ref)
	var target *Schema
	if ok {
		target = st.r.definition(name)
	}
	if target == nil {
		out := shallow(s)
		out.Missing = true
		return out
	}
	var out *Schema
	switch {
	case st.onPath[name]:
		out = shallow(target)
		out.Cycle = true
	case depth >= st.maxDepth || st.budget <= 0:
		out = shallow(target)
		out.Truncated = true
	default:
		// A definition that is only a ref to another is followed the
		// same way, with this name on the path so A -> B -> A stops.
		st.onPath[name] = true
		out = st.resolve(target, depth)
		delete(st.onPath, name)
	}
	// Texts written beside a $ref (x-ms-summary, description...) describe
	// this use of the definition: they win over the definition's own.
	overlay(out, s)
	out.Ref = s.Ref
	return out
}

func (st *resolveState) children(out, s *Schema, depth int) {
	if len(s.Properties) > 0 {
		out.Properties = make(map[string]*Schema, len(s.Properties))
		out.Order = make([]string, 0, len(s.Order))
		for _, name := range s.Order {
			p, ok := s.Properties[name]
			if !ok {
				continue
			}
			if st.budget <= 0 {
				out.Truncated = true
				break
			}
			out.Properties[name] = st.resolve(p, depth+1)
			out.Order = append(out.Order, name)
		}
	}
	out.Items = st.resolve(s.Items, depth+1)
	out.AdditionalProperties = st.resolve(s.AdditionalProperties, depth+1)
}

// shallow copies a node's own fields, without children.
func shallow(s *Schema) *Schema {
	out := *s
	out.Properties, out.Order, out.Items, out.AdditionalProperties, out.AllOf = nil, nil, nil, nil, nil
	out.Required = append([]string(nil), s.Required...)
	return &out
}

func hasChildren(s *Schema) bool {
	return len(s.Properties) > 0 || s.Items != nil || s.AdditionalProperties != nil || len(s.AllOf) > 0
}

// overlay copies the non-empty texts of the referring node onto the
// resolved one.
func overlay(out, from *Schema) {
	out.Title = cmp.Or(from.Title, out.Title)
	out.Description = cmp.Or(from.Description, out.Description)
	out.Summary = cmp.Or(from.Summary, out.Summary)
	out.Visibility = cmp.Or(from.Visibility, out.Visibility)
	if from.Example != nil {
		out.Example = from.Example
	}
	if from.Default != nil {
		out.Default = from.Default
	}
	out.ReadOnly = out.ReadOnly || from.ReadOnly
	out.Nullable = out.Nullable || from.Nullable
}

// mergeAllOf folds resolved allOf parts into out: the node's own fields
// first, then each part's properties and required names in order.
func mergeAllOf(out *Schema, parts []*Schema) {
	for _, p := range parts {
		if p == nil {
			continue
		}
		if out.Type == "" {
			out.Type, out.Types = p.Type, p.Types
		}
		out.Format = cmp.Or(out.Format, p.Format)
		out.Description = cmp.Or(out.Description, p.Description)
		out.Items = cmp.Or(out.Items, p.Items)
		out.AdditionalProperties = cmp.Or(out.AdditionalProperties, p.AdditionalProperties)
		if out.Enum == nil {
			out.Enum = p.Enum
		}
		if out.Example == nil {
			out.Example = p.Example
		}
		if out.Default == nil {
			out.Default = p.Default
		}
		for _, name := range p.Order {
			if out.Properties == nil {
				out.Properties = map[string]*Schema{}
			}
			if _, ok := out.Properties[name]; !ok {
				out.Order = append(out.Order, name)
			}
			out.Properties[name] = p.Properties[name]
		}
		for _, r := range p.Required {
			if !contains(out.Required, r) {
				out.Required = append(out.Required, r)
			}
		}
		out.Dynamic = out.Dynamic || p.Dynamic
		// A part cut short leaves the merged node incomplete too; Missing
		// and Cycle stay on the parts' own (now dropped) nodes, because
		// the merged node itself is real.
		out.Truncated = out.Truncated || p.Truncated
	}
	out.AllOf = nil
}
