package mock

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/connex-dev/connex/catalog"
)

// authNeeds says how credentials may be sent, for the 401 message; empty
// when the connector needs none (or only custom connection parameters).
func authNeeds(conn *catalog.Connector) []string {
	var out []string
	for _, at := range conn.AuthTypes {
		switch strings.ToLower(at.Type) {
		case "", "none", "anonymous":
			return nil
		case "apikey":
			switch {
			case at.ParamName != "" && strings.EqualFold(at.In, catalog.InQuery):
				out = appendNew(out, fmt.Sprintf("an API key in query parameter %q", at.ParamName))
			case at.ParamName != "":
				out = appendNew(out, fmt.Sprintf("an API key in header %q", at.ParamName))
			default:
				out = appendNew(out, "an API key")
			}
		case "basic":
			out = appendNew(out, `HTTP basic credentials ("Authorization: Basic ...")`)
		case "oauth2", "oauth", "bearer":
			out = appendNew(out, `a bearer token ("Authorization: Bearer ...")`)
		}
	}
	return out
}

func (h *handler) hasCredentials(r *http.Request) bool {
	if r.Header.Get("Authorization") != "" {
		return true
	}
	for _, at := range h.conn.AuthTypes {
		if !strings.EqualFold(at.Type, "apikey") || at.ParamName == "" {
			continue
		}
		if strings.EqualFold(at.In, catalog.InQuery) {
			if r.URL.Query().Get(at.ParamName) != "" {
				return true
			}
		} else if r.Header.Get(at.ParamName) != "" {
			return true
		}
	}
	return false
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}
