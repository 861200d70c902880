package defs_test

import (
	"archive/tar"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/connex-dev/connex/internal/jsonx"
	"github.com/connex-dev/connex/internal/realdata"
)

// realSwaggers reads every swagger file of the real tarball, keyed by its
// path below the top folder ("certified-connectors/X/apiDefinition.swagger.json"),
// plus which connector folders have connectionParameterSets.
func realSwaggers(t *testing.T) (map[string][]byte, map[string]bool) {
	t.Helper()
	f, err := os.Open(realdata.Tarball(t))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	files := map[string][]byte{}
	sets := map[string]bool{}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		name := hdr.Name[strings.IndexByte(hdr.Name, '/')+1:]
		low := strings.ToLower(name)
		switch {
		case strings.HasSuffix(low, ".swagger.json"):
			files[name], _ = io.ReadAll(tr)
		case strings.HasSuffix(low, "/apiproperties.json"):
			b, _ := io.ReadAll(tr)
			if strings.Contains(string(b), `"connectionParameterSets"`) {
				sets[name[:strings.LastIndexByte(name, '/')]] = true
			}
		}
	}
	return files, sets
}

type realCounts struct {
	Files, Operations, Triggers, Internal, Deprecated int
	AuthKinds                                         map[string]int
}

// TestImportRealData imports the real tarball and checks its counts
// against counts made here independently: every imported file's
// recovered text decoded by encoding/json into map[string]any.
func TestImportRealData(t *testing.T) {
	res := realdata.Import(t)
	files, sets := realSwaggers(t)

	if res.Files != 942 || len(files) != 942 {
		t.Errorf("Files = %d (tarball holds %d swagger files), want 942", res.Files, len(files))
	}
	type loc struct {
		Path         string
		Line, Column int
	}
	var failed []loc
	failedPath := map[string]bool{}
	for _, f := range res.Failed {
		failed = append(failed, loc{f.Path, f.Line, f.Column})
		failedPath[f.Path] = true
		if f.Line <= 0 || f.Column <= 0 || f.Error == "" {
			t.Errorf("failure without a location: %+v", f)
		}
	}
	wantFailed := []loc{
		{"certified-connectors/CognitiveServicesTextAnalytics/apiDefinition.swagger.json", 276, 6},
		{"independent-publisher-connectors/GIPHY/apiDefinition.swagger.json", 865, 1},
		{"independent-publisher-connectors/Icon Horse/apiDefinition.swagger.json", 56, 11},
		{"independent-publisher-connectors/StabilityAI/apiDefinition.swagger.json", 16, 3},
	}
	if !reflect.DeepEqual(failed, wantFailed) {
		t.Errorf("failed = %+v\nwant %+v", failed, wantFailed)
	}
	imported := len(res.Catalog.Connectors)
	if imported != 938 || imported < 935 {
		t.Errorf("imported %d connectors, want 938", imported)
	}

	// Independent counts. "Strict-ish" is the subset the figure
	// (14,392 operations in 935 files) was made on: files that need no
	// more than a BOM, trailing commas, Latin-1 or raw control characters
	// fixed; this reader also recovers em spaces and missing commas.
	all := realCounts{AuthKinds: map[string]int{}}
	var strictish realCounts
	methods := map[string]bool{"get": true, "put": true, "post": true, "delete": true, "options": true, "head": true, "patch": true}
	for path, data := range files {
		if failedPath[path] {
			continue
		}
		clean, fixes, err := jsonx.Repair(data)
		if err != nil {
			t.Errorf("%s: imported but the reader fails now: %v", path, err)
			continue
		}
		// Decoded by encoding/json; raw values where the content is not
		// needed keep the race-detector run short.
		var doc struct {
			Paths               map[string]map[string]json.RawMessage `json:"paths"`
			SecurityDefinitions map[string]struct {
				Type string `json:"type"`
			} `json:"securityDefinitions"`
		}
		if err := json.Unmarshal(clean, &doc); err != nil {
			t.Errorf("%s: recovered text does not decode: %v", path, err)
			continue
		}
		var c realCounts
		c.Files = 1
		for _, item := range doc.Paths {
			for m, raw := range item {
				if !methods[m] {
					continue
				}
				c.Operations++
				var op struct {
					Trigger    any    `json:"x-ms-trigger"`
					Visibility string `json:"x-ms-visibility"`
					Deprecated any    `json:"deprecated"`
				}
				if err := json.Unmarshal(raw, &op); err != nil {
					t.Errorf("%s: %s: %v", path, m, err)
				}
				if op.Trigger != nil && op.Trigger != false {
					c.Triggers++
				}
				if strings.EqualFold(op.Visibility, "internal") {
					c.Internal++
				}
				if op.Deprecated == true {
					c.Deprecated++
				}
			}
		}
		if !sets[path[:strings.LastIndexByte(path, '/')]] {
			for _, sd := range doc.SecurityDefinitions {
				all.AuthKinds[strings.ToLower(sd.Type)]++
			}
		}
		all.Files += c.Files
		all.Operations += c.Operations
		all.Triggers += c.Triggers
		all.Internal += c.Internal
		all.Deprecated += c.Deprecated
		if fixes&(jsonx.FixUnicodeSpace|jsonx.FixMissingComma) == 0 {
			strictish.Files++
			strictish.Operations += c.Operations
		}
	}

	var got realCounts
	got.AuthKinds = map[string]int{}
	for _, conn := range res.Catalog.Connectors {
		got.Files++
		for _, op := range conn.Operations {
			got.Operations++
			if op.Kind == "trigger" {
				got.Triggers++
			}
			if op.Visibility == "internal" {
				got.Internal++
			}
			if op.Deprecated {
				got.Deprecated++
			}
		}
		if !sets[strings.TrimSuffix(conn.Sources["definition"].Ref, "/"+lastElem(conn.Sources["definition"].Ref))] {
			for _, at := range conn.AuthTypes {
				// Auth types from security definitions carry their key as ID.
				if at.ID != "" {
					got.AuthKinds[map[string]string{"apikey": "apikey", "basic": "basic", "oauth2": "oauth2"}[at.Type]]++
				}
			}
		}
	}
	if !reflect.DeepEqual(got, all) {
		t.Errorf("import counts %+v\nindependent %+v", got, all)
	}
	want := realCounts{Files: 938, Operations: 14440, Triggers: 650, Internal: 1449, Deprecated: 227,
		AuthKinds: map[string]int{"apikey": 502, "basic": 69, "oauth2": 200}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("counts %+v, want %+v", got, want)
	}
	if strictish.Files != 935 || strictish.Operations != 14392 {
		t.Errorf("issue's subset: %d files, %d operations; want 935 files, 14,392 operations", strictish.Files, strictish.Operations)
	}
	st := res.Catalog.Stats()
	t.Logf("files %d, imported %d, failed %d, operations %d (actions %d, triggers %d), parameters %d, warnings %d; issue's subset %d files / %d operations",
		res.Files, imported, len(res.Failed), st.Operations, st.Actions, st.Triggers, st.Parameters, len(res.Warnings), strictish.Files, strictish.Operations)
	if st.Parameters != 34022 {
		t.Errorf("parameters = %d, want 34022", st.Parameters)
	}
	// Every connector id is unique and short; every operation id is
	// unique within its connector.
	seen := map[string]bool{}
	for _, conn := range res.Catalog.Connectors {
		if seen[conn.ID] || conn.ID == "" {
			t.Errorf("duplicate or empty id %q", conn.ID)
		}
		seen[conn.ID] = true
		ops := map[string]bool{}
		for _, op := range conn.Operations {
			if ops[op.ID] {
				t.Errorf("%s: duplicate operation id %q", conn.ID, op.ID)
			}
			ops[op.ID] = true
		}
	}
}

func lastElem(p string) string { return p[strings.LastIndexByte(p, '/')+1:] }

// TestRealDataCatalogShared checks the helper other packages' tests use.
func TestRealDataCatalogShared(t *testing.T) {
	a, b := realdata.Catalog(t), realdata.Catalog(t)
	if a != b || len(a.Connectors) != 938 {
		t.Fatalf("realdata.Catalog: %p %p, %d connectors", a, b, len(a.Connectors))
	}
	if conn, ok := a.Connector("docusigndemo"); !ok || conn.PublisherKind != "certified" {
		t.Errorf("docusigndemo: %v %+v", ok, conn)
	}
}
