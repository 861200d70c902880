package defs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/jsonx"
	"github.com/connex-dev/connex/internal/lazyre"
)

// methods are the swagger 2.0 operation keys of a path item, in the
// order used when a path item lists none twice.
var methods = map[string]bool{"get": true, "put": true, "post": true, "delete": true, "options": true, "head": true, "patch": true}

// maxRefDepth bounds every chain of $refs followed, so a cycle (or a
// very long chain) ends instead of looping.
const maxRefDepth = 32

// doc holds the parts of a swagger document the import reads. It is
// filled member by member with jsonx.Each and friends rather than by
// encoding/json: the text is already valid (the tolerant reader made it
// so), and encoding/json would validate and re-scan every nested object
// once per level, which was most of the import's time.
type doc struct {
	Title, Description, Version string
	ContactName, ContactURL     string
	ContactEmail                string
	Host, BasePath              string
	Schemes, Consumes, Produces []string
	Paths                       json.RawMessage
	Definitions                 map[string]json.RawMessage
	Parameters                  map[string]json.RawMessage
	Responses                   map[string]json.RawMessage
	SecurityDefinitions         json.RawMessage
	Metadata                    json.RawMessage
	Status                      string
}

func objectMap(raw json.RawMessage) map[string]json.RawMessage {
	ms := jsonx.Members(raw)
	if ms == nil {
		return nil
	}
	m := make(map[string]json.RawMessage, len(ms))
	for _, x := range ms {
		m[x.Key] = x.Value
	}
	return m
}

func decodeDoc(raw []byte) (*doc, bool) {
	if !jsonx.IsObject(raw) {
		return nil, false
	}
	d := &doc{}
	jsonx.Each(raw, func(key []byte, mVal json.RawMessage) {
		switch string(key) {
		case "info":
			jsonx.Each(mVal, func(key []byte, fVal json.RawMessage) {
				switch string(key) {
				case "title":
					d.Title = jsonx.Text(fVal)
				case "description":
					d.Description = jsonx.Text(fVal)
				case "version":
					d.Version = jsonx.Text(fVal)
				case "contact":
					jsonx.Each(fVal, func(key []byte, cVal json.RawMessage) {
						switch string(key) {
						case "name":
							d.ContactName = jsonx.Text(cVal)
						case "url":
							d.ContactURL = jsonx.Text(cVal)
						case "email":
							d.ContactEmail = jsonx.Text(cVal)
						}
					})
				}
			})
		case "host":
			d.Host = jsonx.Text(mVal)
		case "basePath":
			d.BasePath = jsonx.Text(mVal)
		case "schemes":
			d.Schemes = jsonx.Texts(mVal)
		case "consumes":
			d.Consumes = jsonx.Texts(mVal)
		case "produces":
			d.Produces = jsonx.Texts(mVal)
		case "paths":
			d.Paths = mVal
		case "definitions":
			d.Definitions = objectMap(mVal)
		case "parameters":
			d.Parameters = objectMap(mVal)
		case "responses":
			d.Responses = objectMap(mVal)
		case "securityDefinitions":
			d.SecurityDefinitions = mVal
		case "x-ms-connector-metadata":
			d.Metadata = mVal
		case "x-ms-api-annotation":
			d.Status = jsonx.Text(jsonx.Get(mVal, "status"))
		}
	})
	return d, true
}

type secDef struct {
	Type        string         `json:"type"`
	Name        string         `json:"name"`
	In          string         `json:"in"`
	Flow        string         `json:"flow"`
	AuthURL     string         `json:"authorizationUrl"`
	TokenURL    string         `json:"tokenUrl"`
	Scopes      map[string]any `json:"scopes"`
	Description string         `json:"description"`
}

// parsed is what a worker makes of one swagger file, before the
// folder's apiProperties and readme are joined in.
type parsed struct {
	conn     *catalog.Connector
	secDefs  []catalog.AuthType
	warnings []ImportError
	err      *ImportError
}

// converter turns one decoded document into a connector.
type converter struct {
	path     string
	doc      *doc
	raw      []byte
	warnings []ImportError
	// notif memoises which definitions hold x-ms-notification-url,
	// following their $refs; 1 = being visited (a cycle), 2 = no, 3 = yes.
	notif map[string]uint8
	// strs interns the connector's short repeated texts (parameter
	// names, locations, types, descriptions repeated across operations,
	// response statuses, tags): each is kept once, not once per use.
	strs map[string]string
}

// text is jsonx.Text, interned; a plain string is looked up without
// being copied first.
func (cv *converter) text(raw json.RawMessage) string {
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' && bytes.IndexByte(raw[1:n-1], '\\') < 0 {
		if s, ok := cv.strs[string(raw[1:n-1])]; ok {
			return s
		}
		return cv.intern(string(raw[1 : n-1]))
	}
	return cv.intern(jsonx.Text(raw))
}

// texts is jsonx.Texts with each text interned.
func (cv *converter) texts(raw json.RawMessage) []string {
	list := jsonx.Texts(raw)
	for i, s := range list {
		list[i] = cv.intern(s)
	}
	return list
}

func (cv *converter) intern(s string) string {
	if v, ok := cv.strs[s]; ok {
		return v
	}
	if cv.strs == nil {
		cv.strs = make(map[string]string, 256)
	}
	cv.strs[s] = s
	return s
}

func (cv *converter) warn(format string, args ...any) {
	cv.warnings = append(cv.warnings, ImportError{Path: cv.path, Error: fmt.Sprintf(format, args...)})
}

// parseSwagger reads one swagger file. path is the path shown in
// errors (inside the source).
func parseSwagger(path string, data []byte) parsed {
	if len(data) > MaxFileSize {
		return parsed{err: &ImportError{Path: path, Error: tooLarge(int64(len(data))).Error()}}
	}
	// Nothing parsed keeps a slice of clean (packRaw copies the raw
	// values out; texts are copies): its buffer is reused.
	buf := cleanBuf(data)
	defer putBuf(buf)
	clean, fixes, err := jsonx.CompactInto(buf, data)
	if err != nil {
		ie := ImportError{Path: path, Error: err.Error()}
		var se *jsonx.SyntaxError
		if errors.As(err, &se) {
			ie.Error, ie.Line, ie.Column = se.Msg, se.Line, se.Column
		}
		return parsed{err: &ie}
	}
	doc, ok := decodeDoc(clean)
	if !ok {
		return parsed{err: &ImportError{Path: path, Line: 1, Column: 1, Error: "not a swagger document: the file is not a JSON object"}}
	}
	cv := &converter{path: path, raw: clean, doc: doc}
	if fixes != 0 {
		cv.warn("recovered %s", strings.Join(fixes.Strings(), ", "))
	}
	if len(bytes.TrimSpace(doc.Paths)) == 0 && doc.Title == "" {
		return parsed{err: &ImportError{Path: path, Line: 1, Column: 1, Error: "not a swagger document: no info.title and no paths"}}
	}
	conn := cv.connector()
	packRaw(conn)
	return parsed{conn: conn, secDefs: cv.securityDefinitions(), warnings: cv.warnings}
}

func (cv *converter) connector() *catalog.Connector {
	d := cv.doc
	conn := &catalog.Connector{
		Name:        strings.TrimSpace(d.Title),
		Description: strings.TrimSpace(d.Description),
		Version:     d.Version,
		Contact:     catalog.Contact{Name: strings.TrimSpace(d.ContactName), URL: strings.TrimSpace(d.ContactURL), Email: strings.TrimSpace(d.ContactEmail)},
		Host:        d.Host,
		BasePath:    d.BasePath,
		Schemes:     d.Schemes,
		Definitions: d.Definitions,
	}
	lt := strings.ToLower(conn.Name)
	conn.Preview = strings.EqualFold(d.Status, "preview") || strings.Contains(lt, "(preview)")
	conn.Deprecated = strings.Contains(lt, "deprecated")
	for _, m := range jsonx.Elems(d.Metadata) {
		v := strings.TrimSpace(jsonx.Text(jsonx.Get(m, "propertyValue")))
		switch strings.ToLower(strings.TrimSpace(jsonx.Text(jsonx.Get(m, "propertyName")))) {
		case "website":
			conn.Website = v
		case "privacy policy":
			conn.PrivacyPolicy = v
		case "categories":
			for _, c := range strings.Split(v, ";") {
				if c = strings.TrimSpace(c); c != "" {
					conn.Categories = append(conn.Categories, c)
				}
			}
		}
	}
	cv.checkRefs()
	conn.Operations = cv.operations()
	linkReplacements(conn.Operations)
	return conn
}

// checkRefs reports every $ref whose target does not exist.
func (cv *converter) checkRefs() {
	for _, ref := range jsonx.Refs(cv.raw) {
		if _, ok := cv.resolve(ref); !ok {
			if strings.HasPrefix(ref, "#") {
				cv.warn("$ref %q points to nothing", ref)
			} else {
				cv.warn("$ref %q is external; only refs inside the file (#/...) are followed", ref)
			}
		}
	}
}

// resolve finds a local $ref's target.
func (cv *converter) resolve(ref string) (json.RawMessage, bool) {
	if !strings.HasPrefix(ref, "#/") {
		return nil, false
	}
	segs := strings.Split(ref[2:], "/")
	for i := range segs {
		segs[i] = jsonx.PointerUnescape(segs[i])
	}
	var m map[string]json.RawMessage
	switch segs[0] {
	case "definitions":
		m = cv.doc.Definitions
	case "parameters":
		m = cv.doc.Parameters
	case "responses":
		m = cv.doc.Responses
	default:
		return jsonx.Pointer(cv.raw, segs)
	}
	if len(segs) < 2 {
		return nil, false
	}
	v, ok := m[segs[1]]
	if !ok {
		return nil, false
	}
	return jsonx.Pointer(v, segs[2:])
}

// follow resolves a chain of $ref objects (a parameter that is a ref to a
// ref...), stopping at cycles.
func (cv *converter) follow(raw json.RawMessage) (json.RawMessage, bool) {
	for range maxRefDepth {
		ref := jsonx.Text(jsonx.Get(raw, "$ref"))
		if ref == "" {
			return raw, true
		}
		next, ok := cv.resolve(ref)
		if !ok {
			return nil, false
		}
		raw = next
	}
	return nil, false
}

func (cv *converter) operations() []*catalog.Operation {
	var ops []*catalog.Operation
	ids := map[string]bool{}
	var dups []*catalog.Operation
	for _, pm := range jsonx.Members(cv.doc.Paths) {
		path := pm.Key
		members := jsonx.Members(pm.Value)
		var pathParams []json.RawMessage
		pathNotif := false
		for _, m := range members {
			switch m.Key {
			case "parameters":
				pathParams = jsonx.Elems(m.Value)
			case "x-ms-notification-content":
				pathNotif = true
			}
		}
		for _, m := range members {
			if !methods[m.Key] {
				continue
			}
			op := cv.operation(path, m.Key, m.Value, pathParams, pathNotif)
			if ids[op.ID] {
				dups = append(dups, op)
			} else {
				ids[op.ID] = true
			}
			ops = append(ops, op)
		}
	}
	// Disambiguate after every original id is known, so a renamed
	// duplicate never takes an id used later in the file.
	for _, op := range dups {
		old := op.ID
		for n := 2; ; n++ {
			id := fmt.Sprintf("%s_%d", old, n)
			if !ids[id] {
				op.ID = id
				ids[id] = true
				break
			}
		}
		cv.warn("operationId %q is used twice; the %s %s one is kept as %q", old, op.Method, op.Path, op.ID)
	}
	return ops
}

func (cv *converter) operation(path, method string, raw json.RawMessage, pathParams []json.RawMessage, pathNotif bool) *catalog.Operation {
	op := &catalog.Operation{Kind: catalog.KindAction, Method: cv.intern(strings.ToUpper(method)), Path: path}
	if !jsonx.IsObject(raw) {
		cv.warn("%s %s: not an operation object; kept with its method and path only", op.Method, path)
	}
	var params []json.RawMessage
	var responses, trigger json.RawMessage
	var consumes, produces []string
	hasConsumes, hasProduces, webhook := false, false, pathNotif
	status := ""
	jsonx.Each(raw, func(key []byte, mVal json.RawMessage) {
		switch string(key) {
		case "operationId":
			op.ID = strings.TrimSpace(jsonx.Text(mVal))
		case "summary":
			op.Name = strings.TrimSpace(jsonx.Text(mVal))
		case "description":
			op.Description = strings.TrimSpace(jsonx.Text(mVal))
		case "tags":
			op.Tags = cv.texts(mVal)
		case "consumes":
			consumes, hasConsumes = cv.texts(mVal), true
		case "produces":
			produces, hasProduces = cv.texts(mVal), true
		case "parameters":
			params = jsonx.Elems(mVal)
		case "responses":
			responses = mVal
		case "deprecated":
			op.Deprecated = jsonx.Bool(mVal)
		case "security":
			for _, req := range jsonx.Elems(mVal) {
				var names []string
				for _, r := range jsonx.Members(req) {
					names = append(names, r.Key)
				}
				sort.Strings(names)
				op.Security = append(op.Security, names...)
			}
		case "x-ms-visibility":
			op.Visibility = catalog.Visibility(cv.intern(strings.ToLower(strings.TrimSpace(cv.text(mVal)))))
		case "x-ms-trigger":
			trigger = mVal
		case "x-ms-capabilities":
			if jsonx.Present(mVal) {
				op.Capabilities = mVal
			}
		case "x-ms-notification-content":
			webhook = true
		case "x-ms-api-annotation":
			status = jsonx.Text(jsonx.Get(mVal, "status"))
		}
	})
	if op.ID == "" {
		op.ID = synthID(method, path)
		cv.warn("%s %s has no operationId; using %q", op.Method, path, op.ID)
	}
	if op.Name == "" {
		op.Name = op.ID
	}
	op.Preview = strings.EqualFold(status, "preview") || strings.Contains(strings.ToLower(op.Name), "(preview)")
	op.Consumes, op.Produces = consumes, produces
	if !hasConsumes {
		op.Consumes = cv.doc.Consumes
	}
	if !hasProduces {
		op.Produces = cv.doc.Produces
	}
	op.Dynamic = hasDynamic(raw)
	op.Parameters, op.Body = cv.parameters(op, pathParams, params, &webhook)
	for _, p := range op.Parameters {
		if p.Dynamic {
			op.Dynamic = true
		}
	}
	if jsonx.Present(trigger) {
		op.Kind = catalog.KindTrigger
		op.TriggerType = catalog.TriggerPolling
		if webhook {
			op.TriggerType = catalog.TriggerWebhook
		}
	}
	op.Responses = cv.responses(op, responses)
	return op
}

var dynamicPrefix = []byte(`"x-ms-dynamic-`)

// hasDynamic looks for x-ms-dynamic-values, -schema or -properties
// keys in one pass.
func hasDynamic(raw []byte) bool {
	for i := 0; ; {
		k := bytes.Index(raw[i:], dynamicPrefix)
		if k < 0 {
			return false
		}
		i += k + len(dynamicPrefix)
		rest := raw[i:]
		for _, suffix := range []string{`values"`, `schema"`, `properties"`} {
			if len(rest) >= len(suffix) && string(rest[:len(suffix)]) == suffix {
				return true
			}
		}
	}
}

var notifURL = []byte(`"x-ms-notification-url"`)

// hasNotifURL reports whether raw, or a definition it refers to (at any
// depth), marks a property as the webhook's callback URL.
func (cv *converter) hasNotifURL(raw []byte) bool {
	if bytes.Contains(raw, notifURL) {
		return true
	}
	for _, ref := range jsonx.Refs(raw) {
		name, ok := strings.CutPrefix(ref, "#/definitions/")
		if !ok {
			continue
		}
		name = jsonx.PointerUnescape(strings.SplitN(name, "/", 2)[0])
		if cv.defNotif(name) {
			return true
		}
	}
	return false
}

func (cv *converter) defNotif(name string) bool {
	if cv.notif == nil {
		cv.notif = map[string]uint8{}
	}
	switch cv.notif[name] {
	case 1, 2:
		return false
	case 3:
		return true
	}
	def, ok := cv.doc.Definitions[name]
	if !ok {
		cv.notif[name] = 2
		return false
	}
	cv.notif[name] = 1
	yes := cv.hasNotifURL(def)
	cv.notif[name] = 2
	if yes {
		cv.notif[name] = 3
	}
	return yes
}

func synthID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	up := true
	for _, r := range path {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			if up {
				b.WriteString(strings.ToUpper(string(r)))
			} else {
				b.WriteRune(r)
			}
			up = false
			continue
		}
		up = true
	}
	return b.String()
}

func (cv *converter) parameters(op *catalog.Operation, pathParams, opParams []json.RawMessage, webhook *bool) ([]catalog.Parameter, json.RawMessage) {
	type keyed struct {
		key string
		p   catalog.Parameter
	}
	var list []keyed
	index := map[string]int{}
	var body json.RawMessage
	add := func(raw json.RawMessage, level string) {
		resolved, ok := cv.follow(raw)
		if !ok {
			cv.warn("%s %s: %s parameter's $ref cannot be resolved; it was skipped", op.Method, op.Path, level)
			return
		}
		if !jsonx.IsObject(resolved) {
			cv.warn("%s %s: %s parameter is not an object; it was skipped", op.Method, op.Path, level)
			return
		}
		p := catalog.Parameter{Dynamic: hasDynamic(resolved)}
		var items, schema json.RawMessage
		jsonx.Each(resolved, func(key []byte, mVal json.RawMessage) {
			switch string(key) {
			case "name":
				p.Key = cv.text(mVal)
			case "x-ms-summary":
				p.Name = strings.TrimSpace(cv.text(mVal))
			case "in":
				p.In = cv.text(mVal)
			case "required":
				p.Required = jsonx.Bool(mVal)
			case "type":
				p.Type = cv.text(mVal)
			case "format":
				p.Format = cv.text(mVal)
			case "items":
				items = mVal
			case "enum":
				for _, e := range jsonx.Elems(mVal) {
					s, ok := jsonx.Scalar(e)
					if !ok {
						s = string(e)
					}
					p.Enum = append(p.Enum, cv.intern(s))
				}
			case "default":
				p.Default = cv.intern(string(bytes.TrimSpace(mVal)))
			case "description":
				p.Description = strings.TrimSpace(cv.text(mVal))
			case "x-ms-visibility":
				p.Visibility = catalog.Visibility(cv.intern(strings.ToLower(strings.TrimSpace(cv.text(mVal)))))
			case "schema":
				schema = mVal
			}
		})
		if p.Name == "" {
			p.Name = p.Key
		}
		switch {
		case p.In == "body":
			p.Schema = schema
			p.Type = cv.intern(cv.schemaType(schema))
		case p.Type == "array":
			p.Schema = items
			if it := cv.schemaType(items); len(items) > 0 && it != "" {
				p.Type = cv.intern("array of " + it)
			}
		}
		if p.Type == "" && p.Dynamic {
			p.Type = "dynamic"
		}
		if !*webhook && cv.hasNotifURL(resolved) {
			*webhook = true
		}
		k := p.Key + "\x00" + p.In
		if i, dup := index[k]; dup {
			list[i].p = p // the operation's own parameter wins
		} else {
			index[k] = len(list)
			list = append(list, keyed{k, p})
		}
	}
	for _, raw := range pathParams {
		add(raw, "a path-level")
	}
	for _, raw := range opParams {
		add(raw, "an operation-level")
	}
	if len(list) == 0 {
		return nil, nil
	}
	out := make([]catalog.Parameter, len(list))
	for i, k := range list {
		out[i] = k.p
		if k.p.In == "body" && body == nil {
			body = k.p.Schema
		}
	}
	return out, body
}

// schemaType names a schema's type, following $refs into the definitions
// (with a depth bound against cycles): "object" when none is given.
func (cv *converter) schemaType(raw json.RawMessage) string {
	for range maxRefDepth {
		if !jsonx.IsObject(raw) {
			return "object"
		}
		var ref, typ string
		var items json.RawMessage
		jsonx.Each(raw, func(key []byte, mVal json.RawMessage) {
			switch string(key) {
			case "$ref":
				ref = jsonx.Text(mVal)
			case "type":
				typ = jsonx.Text(mVal)
			case "items":
				items = mVal
			}
		})
		if ref != "" {
			next, ok := cv.resolve(ref)
			if !ok {
				return "object"
			}
			raw = next
			continue
		}
		if typ == "" {
			return "object"
		}
		if typ == "array" && jsonx.IsObject(items) {
			if it := jsonx.Text(jsonx.Get(items, "type")); it != "" && it != "array" {
				return "array of " + it
			}
			if jsonx.Text(jsonx.Get(items, "$ref")) != "" {
				return "array of object"
			}
		}
		return typ
	}
	return "object"
}

func (cv *converter) responses(op *catalog.Operation, raw json.RawMessage) []catalog.Response {
	var out []catalog.Response
	for _, m := range jsonx.Members(raw) {
		if strings.HasPrefix(m.Key, "x-") {
			continue
		}
		resolved, ok := cv.follow(m.Value)
		if !ok {
			cv.warn("%s %s: response %s has a $ref that cannot be resolved", op.Method, op.Path, m.Key)
			out = append(out, catalog.Response{Status: cv.intern(m.Key)})
			continue
		}
		r := catalog.Response{Status: cv.intern(m.Key)}
		jsonx.Each(resolved, func(key []byte, fVal json.RawMessage) {
			switch string(key) {
			case "description":
				r.Description = strings.TrimSpace(cv.text(fVal))
			case "schema":
				r.Schema = fVal
			}
		})
		out = append(out, r)
	}
	return out
}

// securityDefinitions turns the swagger's security schemes into auth
// types, in document order.
func (cv *converter) securityDefinitions() []catalog.AuthType {
	var out []catalog.AuthType
	for _, m := range jsonx.Members(cv.doc.SecurityDefinitions) {
		var sd secDef
		if json.Unmarshal(m.Value, &sd) != nil {
			cv.warn("security definition %q is not an object; it was skipped", m.Key)
			continue
		}
		at := catalog.AuthType{ID: m.Key, Description: strings.TrimSpace(sd.Description)}
		switch strings.ToLower(sd.Type) {
		case "apikey":
			at.Type, at.Name, at.In, at.ParamName = "apikey", "API Key", sd.In, sd.Name
		case "basic":
			at.Type, at.Name = "basic", "Basic authentication"
		case "oauth2":
			at.Type, at.Name, at.Flow, at.AuthURL, at.TokenURL = "oauth2", "OAuth 2.0", sd.Flow, sd.AuthURL, sd.TokenURL
			for s := range sd.Scopes {
				at.Scopes = append(at.Scopes, s)
			}
			sort.Strings(at.Scopes)
		default:
			at.Type, at.Name = strings.ToLower(sd.Type), m.Key
		}
		out = append(out, at)
	}
	return out
}

var (
	reUseInstead = lazyre.New(`(?i)\buse\s+(?:the\s+)?(?:(?:action|operation|trigger|endpoint)\s+)?["'\x{2018}\x{201C}]?([^"'\x{2019}\x{201D}.;,]+?)["'\x{2019}\x{201D}]?(?:\s+(?:action|operation|trigger|endpoint))?\s+instead`)
	reReplaced   = lazyre.New(`(?i)\b(?:replaced|superseded)\s+(?:by|with)\s+(?:the\s+)?(?:(?:action|operation|trigger)\s+)?["'\x{2018}\x{201C}]?([^"'\x{2019}\x{201D};,()]+?)["'\x{2019}\x{201D}]?(?:\s+(?:action|operation|trigger))?(?:[.;,)]?\s*$|[;,)]|\.\s)`)
)

// linkReplacements sets ReplacedBy where a deprecated operation's
// description names another operation of the connector to use instead ("use Send an
// email (V2) instead", "replaced by /v2/alerts"); names that match no
// operation are ignored rather than guessed.
func linkReplacements(ops []*catalog.Operation) {
	for _, op := range ops {
		if op.Description == "" {
			continue
		}
		l := strings.ToLower(op.Description)
		if !strings.Contains(l, "instead") && !strings.Contains(l, "replaced") && !strings.Contains(l, "superseded") {
			continue
		}
		// "Use X instead" also gives advice for other cases ("to send a
		// password, use X instead"); only a deprecated operation is replaced.
		if !op.Deprecated && !strings.Contains(l, "deprecat") && !strings.Contains(strings.ToLower(op.Name), "deprecat") {
			continue
		}
		for _, re := range []*lazyre.Regexp{reUseInstead, reReplaced} {
			m := re.FindStringSubmatch(op.Description)
			if m == nil {
				continue
			}
			if target := matchOp(ops, op, strings.TrimSpace(m[1])); target != nil {
				op.ReplacedBy = target.ID
				break
			}
		}
	}
}

func matchOp(ops []*catalog.Operation, self *catalog.Operation, name string) *catalog.Operation {
	if name == "" {
		return nil
	}
	match := func(f func(o *catalog.Operation) bool) *catalog.Operation {
		for _, o := range ops {
			if o != self && f(o) {
				return o
			}
		}
		return nil
	}
	if o := match(func(o *catalog.Operation) bool { return o.ID == name }); o != nil {
		return o
	}
	if o := match(func(o *catalog.Operation) bool { return strings.EqualFold(o.Name, name) }); o != nil {
		return o
	}
	if strings.HasPrefix(name, "/") {
		if o := match(func(o *catalog.Operation) bool { return o.Path == name && o.Method == self.Method }); o != nil {
			return o
		}
	}
	return nil
}
