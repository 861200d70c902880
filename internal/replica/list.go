package replica

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
)

// ErrBadList is returned when the reference list cannot be read.
var ErrBadList = errors.New("bad connector reference list")

// ListEntry is one connector of the reference site's list page, in the
// format of connector-reference-list.json ({"data": [...]}).
type ListEntry struct {
	DisplayName   string `json:"DisplayName"`
	Icon          string `json:"Icon"`
	Name          string `json:"Name"` // the connector id
	SearchTerms   string `json:"SearchTerms,omitempty"`
	LogicApps     bool   `json:"Logic Apps"`
	PowerAutomate bool   `json:"Power Automate"`
	PowerApps     bool   `json:"Power Apps"`
	Preview       bool   `json:"Preview"`
	Premium       bool   `json:"Premium"`
	MCP           bool   `json:"MCP,omitempty"`
}

// LoadList reads a reference list file. Entries without an id are dropped
// (the site has no page for them); duplicates keep the first entry.
func LoadList(path string) ([]ListEntry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read reference list: %w", err)
	}
	entries, err := ParseList(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return entries, nil
}

// ParseList parses the content of a reference list file.
func ParseList(data []byte) ([]ListEntry, error) {
	var doc struct {
		Data []ListEntry `json:"data"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%w: %v (want {\"data\": [{\"Name\": ..., \"DisplayName\": ...}]})", ErrBadList, err)
	}
	seen := make(map[string]bool, len(doc.Data))
	out := make([]ListEntry, 0, len(doc.Data))
	for _, e := range doc.Data {
		e.Name = strings.TrimSpace(e.Name)
		if e.Name == "" || seen[e.Name] || strings.ContainsAny(e.Name, "/?#%\\ \t\r\n") {
			continue
		}
		seen[e.Name] = true
		e.DisplayName = oneLine(e.DisplayName)
		if e.DisplayName == "" {
			e.DisplayName = e.Name
		}
		out = append(out, e)
	}
	sortEntries(out)
	return out, nil
}

// sortEntries orders entries as the list page does: alphabetically by
// display name, ignoring case; the id breaks ties so the order is total.
func sortEntries(entries []ListEntry) {
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := strings.ToLower(entries[i].DisplayName), strings.ToLower(entries[j].DisplayName)
		if a != b {
			return a < b
		}
		return entries[i].Name < entries[j].Name
	})
}
