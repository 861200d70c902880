package scraper

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/scraper/jsonfix"
)

type defsAPIProps struct {
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

type defsConnParam struct {
	Type         string `json:"type"`
	UIDefinition struct {
		DisplayName string `json:"displayName"`
		Description string `json:"description"`
		Constraints struct {
			Required defsFlexBool `json:"required"`
			Hidden   defsFlexBool `json:"hidden"`
		} `json:"constraints"`
	} `json:"uiDefinition"`
}

// defsParseProps reads apiProperties.json tolerantly; what cannot be read
// is a warning (the connector is still imported, without auth details).
func defsParseProps(path string, data []byte) (*defsAPIProps, jsonfix.Fix, *ImportError) {
	if len(data) > MaxFileSize {
		return nil, 0, &ImportError{Path: path, Error: defsTooLarge(int64(len(data))).Error() + "; auth details skipped"}
	}
	clean, fixes, err := jsonfix.Compact(data)
	if err != nil {
		ie := &ImportError{Path: path, Error: err.Error() + "; auth details skipped"}
		var se *jsonfix.SyntaxError
		if errors.As(err, &se) {
			ie.Error, ie.Line, ie.Column = se.Msg+"; auth details skipped", se.Line, se.Column
		}
		return nil, fixes, ie
	}
	var p defsAPIProps
	if err := json.Unmarshal(clean, &p); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return nil, fixes, &ImportError{Path: path, Error: "not an apiProperties document: " + err.Error()}
		}
	}
	return &p, fixes, nil
}

func defsConnParams(raw json.RawMessage) []catalog.ConnectionParam {
	var out []catalog.ConnectionParam
	for _, m := range defsMembers(raw) {
		var cp defsConnParam
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

// defsAuthTypes combines the swagger's security definitions with the
// connection parameters of apiProperties:
//   - connectionParameterSets: one auth type per set, typed oauth2 when it
//     has an oauthSetting parameter, else by the only non-OAuth security
//     definition if there is one, else "custom";
//   - otherwise one auth type per security definition, each listing the
//     connection parameters;
//   - no security definition but connection parameters: one "custom" type;
//   - neither: {Type: "none", Name: "No authentication"}.
func defsAuthTypes(secDefs []catalog.AuthType, props *defsAPIProps) []catalog.AuthType {
	var params []catalog.ConnectionParam
	if props != nil {
		params = defsConnParams(props.Properties.ConnectionParameters)
		if sets := props.Properties.ConnectionParameterSets; sets != nil && len(sets.Values) > 0 {
			var out []catalog.AuthType
			for _, v := range sets.Values {
				at := catalog.AuthType{ID: v.Name, Name: strings.TrimSpace(v.UIDefinition.DisplayName), Description: strings.TrimSpace(v.UIDefinition.Description)}
				at.Parameters = defsConnParams(v.Parameters)
				if at.Name == "" {
					at.Name = v.Name
				}
				at.Type = defsSetType(at.Parameters, secDefs, &at)
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

func defsSetType(params []catalog.ConnectionParam, secDefs []catalog.AuthType, at *catalog.AuthType) string {
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
	defsMDImage  = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	defsMDLink   = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	defsMDHTML   = regexp.MustCompile(`<[^>]+>`)
	defsMDEmph   = regexp.MustCompile("(\\*\\*|__|\\*|`)")
	defsMDSpaces = regexp.MustCompile(`\s+`)
)

// defsReadmeDescription takes the first paragraph of prose from a readme,
// with headings, images, badges, tables and code skipped and the markdown
// markup stripped.
func defsReadmeDescription(md string) string {
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
			skip = defsMDClean(t) == ""
		}
		if skip {
			if len(para) > 0 {
				break
			}
			continue
		}
		para = append(para, t)
	}
	return defsMDClean(strings.Join(para, " "))
}

// defsMDClean strips images, link targets, HTML tags and emphasis.
func defsMDClean(s string) string {
	s = defsMDImage.ReplaceAllString(s, "")
	s = defsMDLink.ReplaceAllString(s, "$1")
	s = defsMDHTML.ReplaceAllString(s, "")
	s = defsMDEmph.ReplaceAllString(s, "")
	return strings.TrimSpace(defsMDSpaces.ReplaceAllString(s, " "))
}
