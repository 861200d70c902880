package defs

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/url"
	"path"
	"strings"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/jsonx"
)

// SourceAPI is the Sources key and Source.Kind of what a Power Platform
// API reply gave a connector.
const SourceAPI = "api"

// apiPrefix starts the API's name of every shared connector: the
// connector id is what follows it (shared_office365 is office365, the id
// of the reference site's page).
const apiPrefix = "shared_"

// maxIDLen bounds a connector id taken from a reply (the longest real one
// has 33 characters).
const maxIDLen = 64

// apiFolderID returns the connector id of a shared_<id> folder name.
func apiFolderID(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, apiPrefix)
	if !ok {
		return "", false
	}
	return cleanAPIID(rest)
}

// cleanAPIID accepts ids made of letters, digits, '-', '_' and '.', lower
// cased: the id ends up in file names, URLs and terminal output.
func cleanAPIID(id string) (string, bool) {
	if id == "" || len(id) > maxIDLen || id[0] == '.' {
		return "", false
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return "", false
		}
	}
	return strings.ToLower(id), true
}

// apiReply is what the import keeps of one reply of
// GET .../providers/Microsoft.PowerApps/apis/shared_<id>.
type apiReply struct {
	id           string
	name         string
	description  string
	tier         catalog.Tier
	publisher    string
	kind         catalog.PublisherKind
	iconURL      string
	brandColor   string
	capabilities []string
	runtimeURL   string // properties.primaryRuntimeUrl, else the first runtimeUrls entry
	props        *apiProps
	warnings     []ImportError
	err          *ImportError
}

// replyFields are the parts of a reply read member by member (decodeMembers:
// scalars where strings are expected are taken as text, as the replies
// are not always typed as documented).
type replyFields struct {
	name, id                                           string
	displayName, description, tier, publisher, iconURI string
	isCustomAPI                                        bool
	capabilities, runtimeURLs                          []string
	primaryRuntimeURL                                  string
	source, brandColor, stackOwner                     string
}

func decodeReply(clean, props json.RawMessage) replyFields {
	var f replyFields
	var metadata json.RawMessage
	decodeMembers(clean, map[string]any{"name": &f.name, "id": &f.id})
	decodeMembers(props, map[string]any{
		"displayName": &f.displayName, "description": &f.description, "tier": &f.tier,
		"publisher": &f.publisher, "iconUri": &f.iconURI, "isCustomApi": &f.isCustomAPI,
		"capabilities": &f.capabilities, "primaryRuntimeUrl": &f.primaryRuntimeURL,
		"runtimeUrls": &f.runtimeURLs, "metadata": &metadata,
	})
	decodeMembers(metadata, map[string]any{"source": &f.source, "brandColor": &f.brandColor, "stackOwner": &f.stackOwner})
	return f
}

// parseReply reads one reply tolerantly. It returns the swagger when the
// reply holds it inline (properties.swagger, as the live API returns it),
// and the pooled buffer holding it, for the caller to give back (with
// putBuf) once the swagger is parsed. A reply that cannot be read has err
// set.
func parseReply(disp string, f file) (*apiReply, []byte, []byte) {
	r := &apiReply{}
	if id, ok := apiFolderID(path.Base(path.Dir(f.path))); ok {
		r.id = id
	}
	if f.err != nil {
		r.err = &ImportError{Path: disp, Error: f.err.Error()}
		return r, nil, nil
	}
	buf := cleanBuf(f.data)
	clean, fixes, err := jsonx.CompactInto(buf, f.data)
	if err != nil {
		putBuf(buf)
		r.err = &ImportError{Path: disp, Error: err.Error()}
		var se *jsonx.SyntaxError
		if errors.As(err, &se) {
			r.err.Error, r.err.Line, r.err.Column = se.Msg, se.Line, se.Column
		}
		return r, nil, nil
	}
	if fixes != 0 {
		r.warnings = append(r.warnings, ImportError{Path: disp, Error: "recovered " + strings.Join(fixes.Strings(), ", ")})
	}
	props := jsonx.Get(clean, "properties")
	if !jsonx.IsObject(props) {
		r.err = &ImportError{Path: disp, Line: 1, Column: 1, Error: "not a file connex imports: neither a Power Platform API reply (no properties object) nor the reference site's connector list (no data array)"}
		return r, nil, nil
	}
	// Rebuild the properties without the swagger, for encoding/json
	// (apiProps).
	var small bytes.Buffer
	var inline []byte
	small.WriteString(`{"properties":{`)
	n := 0
	jsonx.Each(props, func(key []byte, val json.RawMessage) {
		if string(key) == "swagger" {
			if jsonx.IsObject(val) {
				inline = val
			}
			return
		}
		if n > 0 {
			small.WriteByte(',')
		}
		n++
		k, _ := json.Marshal(string(key))
		small.Write(k)
		small.WriteByte(':')
		small.Write(val)
	})
	small.WriteString(`}}`)
	var ap apiProps
	if err := json.Unmarshal(small.Bytes(), &ap); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			r.err = &ImportError{Path: disp, Error: "not a Power Platform API reply: " + err.Error()}
			return r, nil, nil
		}
	}
	p := decodeReply(clean, props)
	if r.id == "" {
		// A reply given alone: its name (shared_<id>), else its id's
		// last segment (/providers/Microsoft.PowerApps/apis/shared_<id>).
		for _, cand := range []string{p.name, path.Base(p.id)} {
			if id, ok := apiFolderID(strings.TrimSpace(cand)); ok {
				r.id = id
				break
			}
		}
		if r.id == "" {
			r.err = &ImportError{Path: disp, Error: "no connector id: the reply's name is not shared_<id>"}
			return r, nil, nil
		}
	}
	r.name = strings.TrimSpace(p.displayName)
	r.description = strings.TrimSpace(p.description)
	switch strings.ToLower(strings.TrimSpace(p.tier)) {
	case "standard":
		r.tier = catalog.TierStandard
	case "premium":
		r.tier = catalog.TierPremium
	}
	r.publisher = strings.TrimSpace(p.publisher)
	r.kind = replyPublisherKind(r.name, r.publisher, p.isCustomAPI,
		strings.TrimSpace(p.source), strings.TrimSpace(p.stackOwner))
	r.iconURL = strings.TrimSpace(p.iconURI)
	r.brandColor = strings.TrimSpace(p.brandColor)
	seen := map[string]bool{}
	for _, c := range p.capabilities {
		c = strings.ToLower(strings.TrimSpace(c))
		if c != "" && !seen[c] {
			seen[c] = true
			r.capabilities = append(r.capabilities, c)
		}
	}
	r.runtimeURL = strings.TrimSpace(p.primaryRuntimeURL)
	if r.runtimeURL == "" && len(p.runtimeURLs) > 0 {
		r.runtimeURL = strings.TrimSpace(p.runtimeURLs[0])
	}
	r.props = &ap
	return r, inline, buf
}

// replyPublisherKind classifies a connector by who stands behind it, from
// what the reply says (checked on the 907 replies of the shared sample):
//   - isCustomApi: custom;
//   - metadata.source "independentpublisher", or a display name marked
//     "(Independent Publisher)": independent publisher;
//   - publisher "Microsoft" with no stackOwner other than Microsoft:
//     Microsoft's own (221 of the sample: Office 365 Outlook, SharePoint,
//     Teams...). A stackOwner names the partner that owns a connector
//     Microsoft publishes for it (Uber Freight), which is certified;
//   - anything else: a certified partner's.
func replyPublisherKind(name, publisher string, custom bool, source, stackOwner string) catalog.PublisherKind {
	switch {
	case custom:
		return catalog.PublisherCustom
	case strings.EqualFold(source, "independentpublisher") ||
		strings.Contains(strings.ToLower(name), "(independent publisher)"):
		return catalog.PublisherIndependent
	case publisher == "Microsoft" && (stackOwner == "" || stackOwner == "Microsoft"):
		return catalog.PublisherMicrosoft
	}
	return catalog.PublisherCertified
}

// fillFromReply completes a connector read from an API folder's swagger
// with its reply. Without a reply (a folder holding only swagger.json)
// the id comes from the folder name and the rest from the swagger.
func fillFromReply(conn *catalog.Connector, dir string, r *apiReply, secDefs []catalog.AuthType) *ImportError {
	id, _ := apiFolderID(path.Base(dir))
	var props *apiProps
	if r != nil {
		id = r.id
		props = r.props
		if r.name != "" {
			conn.Name = r.name
		}
		if r.description != "" {
			conn.Description = r.description
		}
		conn.Tier = r.tier
		conn.Publisher = r.publisher
		conn.PublisherKind = r.kind
		conn.IconURL = r.iconURL
		conn.BrandColor = r.brandColor
		conn.Capabilities = r.capabilities
		if conn.Host == "" && r.runtimeURL != "" {
			if u, err := url.Parse(r.runtimeURL); err == nil && u.Host != "" {
				conn.Host, conn.BasePath = u.Host, u.Path
				if conn.Schemes == nil && u.Scheme != "" {
					conn.Schemes = []string{u.Scheme}
				}
			}
		}
	}
	if id == "" {
		return &ImportError{Path: dir, Error: "no connector id: the folder is not named shared_<id>"}
	}
	conn.ID = id
	conn.Aliases = []string{apiPrefix + id}
	if conn.Name == "" {
		conn.Name = id
	}
	if conn.Publisher == "" {
		conn.Publisher = conn.Contact.Name
	}
	conn.AuthTypes = authTypes(secDefs, props)
	markConnectionID(conn)
	return nil
}

// connectionIDParam is the path parameter through which the Power
// Platform's runtime definitions route a call to a user's connection.
const connectionIDParam = catalog.ConnectionParameter

// markConnectionID sets ViaConnection when the definition's operations go
// through /{connectionId}, and makes that parameter internal: the platform
// fills it from the connection, the user never types it.
func markConnectionID(conn *catalog.Connector) {
	for _, op := range conn.Operations {
		if !strings.HasPrefix(op.Path, "/{"+connectionIDParam+"}") {
			continue
		}
		conn.ViaConnection = true
		for i := range op.Parameters {
			if p := &op.Parameters[i]; p.Key == connectionIDParam && p.In == "path" {
				p.Visibility = catalog.VisibilityInternal
			}
		}
	}
}
