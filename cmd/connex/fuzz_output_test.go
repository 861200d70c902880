package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	"github.com/connex-dev/connex/internal/clio"
)

// FuzzTerminalOutput puts arbitrary text in every text field of a
// connector and renders it through every output path a command has: the
// search and export tables, the show pages, CSV, JSON (full, fields, jq)
// and the error line. Nothing written to a terminal may hold a raw
// control byte, C1 control or bidi override; piped JSON stays valid and
// gives the text back; piped CSV gives it back with only a formula quote
// added. Seeds are issue 15's cases.
//
//	go test -run '^$' -fuzz FuzzTerminalOutput -fuzztime 60s ./cmd/connex
func FuzzTerminalOutput(f *testing.F) {
	for i, s := range hostile {
		f.Add(s, uint(i))
	}
	f.Add("a\r\nb\u2066c\u2069\x7f\xff\xc3", uint(5))
	f.Add("\u061c\u200e\u200f\u202a\u202b\u202c\u202d", uint(2))
	f.Fuzz(func(t *testing.T, s string, cut uint) {
		conn, op := fuzzConnector(s)

		ios, tty, ttyErr := clio.Test(true, 80)
		// Tables: search hits and export rows.
		hit := hitRow(catalog.SnapshotOf(&catalog.Catalog{Connectors: []*catalog.Connector{conn}}), indexHit(conn.ID, op.ID))
		hitsTable([]searchHit{hit, {Kind: "connector", ID: s, Name: s}}).Print(ios)
		row, _ := exportRowOf(&catalog.Catalog{Connectors: []*catalog.Connector{conn}}, conn.ID, op.ID, "action")
		exportTable([]exportRow{row}).Print(ios)
		// Pages.
		printConnector(ios.Out, conn)
		printOperation(ios.Out, conn, op)
		// CSV, JSON, jq, as export and show write them to a terminal.
		var csvBuf bytes.Buffer
		if err := exportCSV(&csvBuf, []exportRow{row}); err != nil {
			t.Fatal(err)
		}
		// Split the write where the fuzzer says: the sanitiser must hold
		// a rune or CRLF cut in two.
		b := csvBuf.Bytes()
		at := int(cut % uint(len(b)+1))
		ios.Out.Write(b[:at])
		ios.Out.Write(b[at:])
		clio.WriteJSON(ios.Out, conn)
		for _, args := range [][]string{{"--json=id,name,description"}, {"--jq", ".description, .name, .publisher"}} {
			if err := fuzzJSONFlags(args).Write(ios.Out, conn); err != nil {
				t.Fatal(err)
			}
		}
		exitCode(ios, errors.New(s))
		ios.Flush()
		assertTerminalSafe(t, "terminal", tty.String())
		assertTerminalSafe(t, "stderr", ttyErr.String())

		// Piped JSON: valid, controls and bidi escaped, text back.
		var js bytes.Buffer
		if err := clio.WriteJSON(&js, conn); err != nil {
			t.Fatal(err)
		}
		assertTerminalSafe(t, "piped JSON", js.String())
		var back catalog.Connector
		if err := json.Unmarshal(js.Bytes(), &back); err != nil {
			t.Fatalf("piped JSON invalid: %v\n%s", err, js.String())
		}
		if want := string([]rune(s)); back.Description != want { // invalid UTF-8 reads back as U+FFFD
			t.Fatalf("JSON round trip: %q, want %q", back.Description, want)
		}

		// Piped CSV: the text exactly, a quote in front of a formula.
		if strings.ContainsRune(s, '\r') {
			return // encoding/csv reads a quoted CRLF back as LF
		}
		recs, err := csv.NewReader(bytes.NewReader(csvBuf.Bytes())).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("CSV: %v, %d records", err, len(recs))
		}
		desc := recs[1][len(recs[1])-1]
		if want := clio.CSVCell(s); desc != want {
			t.Fatalf("CSV round trip: %q, want %q", desc, want)
		}
		if desc != s && desc != "'"+s {
			t.Fatalf("CSV changed the text beyond a leading quote: %q", desc)
		}
		for _, cell := range recs[1] {
			if rest := strings.TrimLeft(cell, " \t\r\n"); rest != "" && strings.ContainsRune("=+-@", rune(rest[0])) && cell[0] != '\'' {
				t.Fatalf("formula cell not neutralised: %q", cell)
			}
			if cell != "" && (cell[0] == '\t' || cell[0] == '\r') {
				t.Fatalf("cell starts with a blank a spreadsheet trims: %q", cell)
			}
		}
	})
}

// fuzzConnector is a connector with s in every text field an output path
// prints.
func fuzzConnector(s string) (*catalog.Connector, *catalog.Operation) {
	op := &catalog.Operation{ID: "Op" + s, Name: s, Kind: catalog.KindAction, Method: "GET", Path: "/" + s,
		Description: s, Deprecated: true, ReplacedBy: s, Visibility: catalog.VisibilityInternal,
		Parameters: []catalog.Parameter{{Name: s, Key: s, In: "query", Type: s, Description: s, Default: s, Enum: []string{s}}},
		Responses:  []catalog.Response{{Status: s, Description: s, Schema: json.RawMessage(`{"type":"object"}`), Fields: []catalog.Field{{Name: s, Type: s, Description: s}}}}}
	conn := &catalog.Connector{ID: "c" + strings.ToLower(s), Name: s, Description: s, Publisher: s, PublisherKind: catalog.PublisherIndependent,
		Tier: catalog.TierPremium, Folder: s, RegionsNote: s, Categories: []string{s}, Website: s, PrivacyPolicy: s,
		Contact: catalog.Contact{Name: s, Email: s, URL: s}, Host: s, BasePath: s, DocsURL: s,
		Products:    []catalog.Product{{Name: s, Class: catalog.Tier(s)}},
		AuthTypes:   []catalog.AuthType{{Name: s, Type: s, In: s, ParamName: s, Description: s, Parameters: []catalog.ConnectionParam{{Name: s, DisplayName: s, Type: s, Description: s}}}},
		Throttling:  []catalog.Limit{{Name: s, Value: s, Renewal: s}},
		Limits:      []catalog.Limit{{Name: s, Value: s}},
		KnownIssues: []catalog.KnownIssue{{Summary: s, Operations: s, Description: s}},
		Operations:  []*catalog.Operation{op}}
	return conn, op
}

// fuzzJSONFlags returns --json/--jq flags parsed from args.
func fuzzJSONFlags(args []string) *clio.JSONFlags {
	cmd := &cobra.Command{Use: "x"}
	fl := clio.AddJSONFlags(cmd, clio.FieldsOf(catalog.Connector{}), "", "x")
	cmd.ParseFlags(args)
	return fl
}

func indexHit(connID, opID string) index.Hit {
	return index.Hit{Kind: "action", ConnectorID: connID, OperationID: opID, Score: 1}
}
