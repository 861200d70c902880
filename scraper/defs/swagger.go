package defs

// parseSwagger and the converter that turns one swagger file into a connector.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/jsonx"
)

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
func parseSwagger(path string, data []byte) parsed { return parseSwaggerSharing(path, data, nil) }

// parseSwaggerSharing is parseSwagger sharing raw values through tab with
// the other connectors of an import.
func parseSwaggerSharing(path string, data []byte, tab *rawTable) parsed {
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
	packRaw(conn, tab)
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
