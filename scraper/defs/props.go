package defs

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/jsonx"
	"github.com/connex-dev/connex/internal/lazyre"
)

type apiProps struct {
	Properties struct {
		ConnectionParameters    json.RawMessage `json:"connectionParameters"`
		ConnectionParameterSets *struct {
			Values []struct {
				Name         string `json:"name"`
				UIDefinition struct {
					DisplayName string `json:"displayName"`
					Description string `json:"description"`
				} `json:"uiDefinition"`
				Parameters json.RawMessage `json:"parameters"`
			} `json:"values"`
		} `json:"connectionParameterSets"`
		IconBrandColor string `json:"iconBrandColor"`
		Publisher      string `json:"publisher"`
	} `json:"properties"`
}

type connParam struct {
	Type         string `json:"type"`
	UIDefinition struct {
		DisplayName string `json:"displayName"`
		Description string `json:"description"`
		Constraints struct {
			Required jsonx.FlexBool `json:"required"`
			Hidden   jsonx.FlexBool `json:"hidden"`
		} `json:"constraints"`
	} `json:"uiDefinition"`
}

// parseProps reads apiProperties.json tolerantly; what cannot be read
// is a warning (the connector is still imported, without auth details).
func parseProps(path string, data []byte) (*apiProps, jsonx.Fix, *ImportError) {
	if len(data) > MaxFileSize {
		return nil, 0, &ImportError{Path: path, Error: tooLarge(int64(len(data))).Error() + "; auth details skipped"}
	}
	// encoding/json copies what it keeps: the buffer is reused.
	buf := cleanBuf(data)
	defer putBuf(buf)
	clean, fixes, err := jsonx.CompactInto(buf, data)
	if err != nil {
		ie := &ImportError{Path: path, Error: err.Error() + "; auth details skipped"}
		var se *jsonx.SyntaxError
		if errors.As(err, &se) {
			ie.Error, ie.Line, ie.Column = se.Msg+"; auth details skipped", se.Line, se.Column
		}
		return nil, fixes, ie
	}
	var p apiProps
	if err := json.Unmarshal(clean, &p); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return nil, fixes, &ImportError{Path: path, Error: "not an apiProperties document: " + err.Error()}
		}
	}
	return &p, fixes, nil
}

func connParams(raw json.RawMessage) []catalog.ConnectionParam {
	var out []catalog.ConnectionParam
	for _, m := range jsonx.Members(raw) {
		var cp connParam
		_ = json.Unmarshal(m.Value, &cp)
		out = append(out, catalog.ConnectionParam{
			Name:        m.Key,
			DisplayName: strings.TrimSpace(cp.UIDefinition.DisplayName),
			Type:        cp.Type,
			Description: strings.TrimSpace(cp.UIDefinition.Description),
			Required:    bool(cp.UIDefinition.Constraints.Required),
		})
	}
	return out
}

// authTypes combines the swagger's security definitions with the
// connection parameters of apiProperties:
//   - connectionParameterSets: one auth type per set, typed oauth2 when it
//     has an oauthSetting parameter, else by the only non-OAuth security
//     definition if there is one, else "custom";
//   - otherwise one auth type per security definition, each listing the
//     connection parameters;
//   - no security definition but connection parameters: one "custom" type;
//   - neither: {Type: "none", Name: "No authentication"}.
func authTypes(secDefs []catalog.AuthType, props *apiProps) []catalog.AuthType {
	var params []catalog.ConnectionParam
	if props != nil {
		params = connParams(props.Properties.ConnectionParameters)
		if sets := props.Properties.ConnectionParameterSets; sets != nil && len(sets.Values) > 0 {
			var out []catalog.AuthType
			for _, v := range sets.Values {
				at := catalog.AuthType{ID: v.Name, Name: strings.TrimSpace(v.UIDefinition.DisplayName), Description: strings.TrimSpace(v.UIDefinition.Description)}
				at.Parameters = connParams(v.Parameters)
				if at.Name == "" {
					at.Name = v.Name
				}
				at.Type = setType(at.Parameters, secDefs, &at)
				out = append(out, at)
			}
			return out
		}
	}
	if len(secDefs) > 0 {
		out := make([]catalog.AuthType, len(secDefs))
		for i, sd := range secDefs {
			sd.Parameters = params
			out[i] = sd
		}
		return out
	}
	if len(params) > 0 {
		typ := "custom"
		for _, p := range params {
			if strings.EqualFold(p.Type, "oauthSetting") {
				typ = "oauth2"
			}
		}
		return []catalog.AuthType{{Name: "Connection parameters", Type: typ, Parameters: params}}
	}
	return []catalog.AuthType{{Type: "none", Name: "No authentication"}}
}

func setType(params []catalog.ConnectionParam, secDefs []catalog.AuthType, at *catalog.AuthType) string {
	for _, p := range params {
		if strings.EqualFold(p.Type, "oauthSetting") {
			for _, sd := range secDefs {
				if sd.Type == "oauth2" {
					at.Flow, at.AuthURL, at.TokenURL, at.Scopes = sd.Flow, sd.AuthURL, sd.TokenURL, sd.Scopes
				}
			}
			return "oauth2"
		}
	}
	if len(params) == 0 {
		return "none"
	}
	var other []catalog.AuthType
	for _, sd := range secDefs {
		if sd.Type != "oauth2" {
			other = append(other, sd)
		}
	}
	if len(other) == 1 {
		at.In, at.ParamName = other[0].In, other[0].ParamName
		return other[0].Type
	}
	return "custom"
}

var (
	mdImage  = lazyre.New(`!\[[^\]]*\]\([^)]*\)`)
	mdLink   = lazyre.New(`\[([^\]]*)\]\([^)]*\)`)
	mdHTML   = lazyre.New(`<[^>]+>`)
	mdEmph   = lazyre.New("(\\*\\*|__|\\*|`)")
	mdSpaces = lazyre.New(`\s+`)
)

// readmeDescription takes the first paragraph of prose from a readme,
// with headings, images, badges, tables and code skipped and the markdown
// markup stripped.
func readmeDescription(md string) string {
	md = strings.ReplaceAll(md, "\r\n", "\n")
	md = strings.TrimPrefix(md, "\ufeff")
	var para []string
	inCode, inComment := false, false
	for _, line := range strings.Split(md, "\n") {
		t := strings.TrimSpace(line)
		if inComment {
			if strings.Contains(t, "-->") {
				inComment = false
			}
			continue
		}
		if strings.HasPrefix(t, "<!--") {
			inComment = !strings.Contains(t, "-->")
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			inCode = !inCode
			continue
		}
		if inCode {
			continue
		}
		skip := t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "|") || strings.HasPrefix(t, "---") ||
			strings.HasPrefix(t, "===") || strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ") || strings.HasPrefix(t, ">")
		if !skip {
			skip = mdClean(t) == ""
		}
		if skip {
			if len(para) > 0 {
				break
			}
			continue
		}
		para = append(para, t)
	}
	// A copy: one paragraph alone would be a slice of the whole readme.
	return strings.Clone(mdClean(strings.Join(para, " ")))
}

// mdClean strips images, link targets, HTML tags and emphasis.
func mdClean(s string) string {
	s = mdImage.ReplaceAllString(s, "")
	s = mdLink.ReplaceAllString(s, "$1")
	s = mdHTML.ReplaceAllString(s, "")
	s = mdEmph.ReplaceAllString(s, "")
	return strings.TrimSpace(mdSpaces.ReplaceAllString(s, " "))
}
