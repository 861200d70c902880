package site

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/connex-dev/connex/catalog"
)

// Limits on a connector list file (ParseListFile). The real list is about
// 0.5 MB for about 1,500 entries, with display names under 100 bytes and
// icon addresses under 200.
const (
	// MaxListBytes caps a list file.
	MaxListBytes = 8 << 20
	// MaxListEntries caps the entries of a list file.
	MaxListEntries = 20_000
	// maxListID caps a connector id (the real ones are under 40 bytes).
	maxListID = 128
	// maxListText caps a display name or an icon address.
	maxListText = 2048
)

// Errors of ParseListFile, matched with errors.Is.
var (
	// ErrNotList: the data is not a connector list (another JSON
	// document, or not JSON): the caller may read it as something else.
	ErrNotList = errors.New("not a connector list")
	// ErrListTooLarge: a connector list over MaxListBytes or
	// MaxListEntries, refused whole.
	ErrListTooLarge = errors.New("connector list too large")
)

// listFileEntry is one connector of the list as data, as the public
// capture of the list page spells it (jesusfer/ppconnectors'
// docs/connectors.json: {"data": [{"Name": ..., "DisplayName": ...,
// "Icon": ..., "Premium": ..., "Preview": ..., one flag per product}]}).
// SearchTerms (the id and the name, lower case) says nothing more.
type listFileEntry struct {
	Name          string `json:"Name"`
	DisplayName   string `json:"DisplayName"`
	Icon          string `json:"Icon"`
	LogicApps     bool   `json:"Logic Apps"`
	PowerAutomate bool   `json:"Power Automate"`
	PowerApps     bool   `json:"Power Apps"`
	CopilotStudio bool   `json:"Copilot Studio"`
	Preview       bool   `json:"Preview"`
	Premium       bool   `json:"Premium"`
	MCP           bool   `json:"MCP"`
}

// LooksLikeList reports whether head, the start of a file, opens a
// connector list: a JSON object whose first member is "data", an array.
// It lets a reader tell a list too large to read whole from another
// document.
func LooksLikeList(head []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(head, []byte("\ufeff"))))
	for _, want := range []any{json.Delim('{'), "data", json.Delim('[')} {
		tok, err := dec.Token()
		if err != nil || tok != want {
			return false
		}
	}
	return true
}

// ParseListFile reads the reference site's connector list as data (the
// list page's content, as saved by a capture of it): a JSON object whose
// "data" member is an array of entries that each name a connector
// ({"Name": id, "DisplayName": ...}). It gives the same ListEntry as
// ParseListPage gives for the page's cell of that connector (the display
// name without its "[DEPRECATED]" or "(Preview)" marker, which become
// flags; products in catalog.Products order), except URL and Publisher,
// which the data does not hold. ref names the file in problems.
//
// Any other document (an API reply, a swagger, not JSON) gives an error
// wrapping ErrNotList; a list over MaxListBytes or MaxListEntries one
// wrapping ErrListTooLarge. Entries that cannot be used (no id, an id
// that is not one, a repeated id, a wrong type, an over-long name or
// icon address) are reported as problems and skipped: the rest is read.
// Text is kept as found (it is sanitised where it is displayed).
func ParseListFile(data []byte, ref string) ([]ListEntry, []ParseProblem, error) {
	if len(data) > MaxListBytes {
		return nil, nil, fmt.Errorf("%w: %d MiB, over the %d MiB limit", ErrListTooLarge, len(data)>>20, MaxListBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrNotList, err)
	}
	raw, ok := doc["data"]
	if !ok {
		return nil, nil, fmt.Errorf("%w: no \"data\" member (want {\"data\": [{\"Name\": ..., \"DisplayName\": ...}, ...]})", ErrNotList)
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, nil, fmt.Errorf("%w: \"data\" is not an array", ErrNotList)
	}
	if len(items) > MaxListEntries {
		return nil, nil, fmt.Errorf("%w: %d entries, over the limit of %d", ErrListTooLarge, len(items), MaxListEntries)
	}
	if len(items) > 0 && !namesConnector(items[0]) {
		return nil, nil, fmt.Errorf("%w: its first entry has no \"Name\" (a connector id)", ErrNotList)
	}
	probs := &problems{url: ref}
	out := make([]ListEntry, 0, len(items))
	seen := make(map[string]bool, len(items))
	for i, item := range items {
		var f listFileEntry
		if err := json.Unmarshal(item, &f); err != nil {
			probs.add("entry %d skipped: %v", i+1, err)
			continue
		}
		e, why := listFileListEntry(f, probs)
		if why != "" {
			probs.add("entry %d skipped: %s", i+1, why)
			continue
		}
		if seen[strings.ToLower(e.ID)] {
			probs.add("connector %q listed twice; keeping the first", e.ID)
			continue
		}
		seen[strings.ToLower(e.ID)] = true
		out = append(out, e)
	}
	if len(out) == 0 {
		probs.add("no connector in the list")
	}
	return out, probs.list, nil
}

// namesConnector reports whether a list item is an object with a "Name".
func namesConnector(item json.RawMessage) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(item, &m) != nil {
		return false
	}
	_, ok := m["Name"]
	return ok
}

// listFileListEntry turns one entry of the data into a ListEntry, or says
// why it cannot be used.
func listFileListEntry(f listFileEntry, probs *problems) (ListEntry, string) {
	id := strings.TrimSpace(f.Name)
	switch {
	case id == "":
		return ListEntry{}, "no \"Name\" (connector id)"
	case len(id) > maxListID:
		return ListEntry{}, fmt.Sprintf("connector id of %d bytes (limit %d)", len(id), maxListID)
	case !isListID(id):
		return ListEntry{}, fmt.Sprintf("%q is not a connector id (letters, digits, '-', '_' and '.' only)", id)
	case len(f.DisplayName) > maxListText:
		return ListEntry{}, fmt.Sprintf("%s: display name of %d bytes (limit %d)", id, len(f.DisplayName), maxListText)
	case len(f.Icon) > maxListText:
		return ListEntry{}, fmt.Sprintf("%s: icon address of %d bytes (limit %d)", id, len(f.Icon), maxListText)
	}
	e := ListEntry{ID: id, IconURL: strings.TrimSpace(f.Icon), Premium: f.Premium, MCP: f.MCP}
	name := strings.Join(strings.Fields(f.DisplayName), " ")
	if name == "" {
		probs.add("connector %q has no display name in the list; using its id", id)
		name = id
	}
	e.Name, e.Deprecated, e.Preview = stripMarkers(name)
	e.Preview = e.Preview || f.Preview
	flags := map[string]bool{
		catalog.ProductLogicApps:     f.LogicApps,
		catalog.ProductPowerAutomate: f.PowerAutomate,
		catalog.ProductPowerApps:     f.PowerApps,
		catalog.ProductCopilotStudio: f.CopilotStudio,
	}
	for _, p := range catalog.Products {
		if flags[p] {
			e.Products = append(e.Products, p)
		}
	}
	return e, ""
}

// isListID reports a plausible connector id: it names a page folder of the
// site, so no separator, space or escape.
func isListID(id string) bool {
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
		if !ok {
			return false
		}
	}
	return id != "." && id != ".."
}
