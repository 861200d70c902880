package catalog

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// Patterns seen in the real samples, with invented names: a definitions
// folder whose connector the site lists under a new display name; two
// listed connectors whose names fold alike; a folder named like a
// deprecated connector; a definitions title shared by two folders.
func orderSources() []func() *Catalog {
	const cert = "powerplatformconnectors/certified-connectors/"
	d := func(id, name, folder, host string) *Connector {
		return &Connector{ID: id, Name: name, Folder: folder, Host: host, PublisherKind: PublisherCertified,
			Operations: []*Operation{{ID: "Op" + id, Kind: KindAction, Method: "GET", Path: "/" + id}},
			Sources:    src(SourceDefinition, cert+folder+"/apiDefinition.swagger.json", defAt)}
	}
	a := func(id, name string) *Connector {
		return &Connector{ID: id, Name: name, Aliases: []string{APIPrefix + id}, Host: "europe-002.azure-apim.net", BasePath: "/apim/" + id,
			PublisherKind: PublisherCertified, Sources: src(SourceAPI, "apis/"+APIPrefix+id+"/swagger.json", apiAt)}
	}
	s := func(id, name string) *Connector {
		return &Connector{ID: id, Name: name, Sources: src(SourceSite, "http://127.0.0.1/"+id+"/", siteAt)}
	}
	defs := func() *Catalog {
		return &Catalog{Connectors: []*Connector{
			d("quuxly", "Quuxly", "Quuxly", "app.quuxly.example"),
			d("glacier", "Glacier", "Glacier v2", "acct.glacier.example/api/v2"),
			d("glacier-2", "Glacier", "glacier", "acct.glacier.example/api/v2"),
			d("zorbdeprecated", "Zorb (deprecated)", "Zorb", "eu.zorb.example/int"),
			d("tallyadmissions", "Tally - Admissions", "Tally", "api.tally.example/emea/"),
			d("pdfmillpdf", "Pdfmill PDF", "Pdfmill PDF Converter Online", "api.pdfmill.example/api"),
			d("dime", "Dime", "Dime", "api.dime.example"),
			d("dimeonprem", "Dime (on-prem)", "Dime (on-prem)", "onprem.dime.example/api"),
			d("acmepdf", "Acme PDF", "Acme PDF", "api.acme.example"),
			// Folders whose ids the importer cut to one stem; the first
			// takes the id of a listed connector it is not.
			d("bravo", "Bravo Docs", "Bravo Docs", "api.bravo.example/docs"),
			d("bravo-2", "Bravo Events", "Bravo Events", "api.bravo.example/events"),
		}}
	}
	api := func() *Catalog {
		return &Catalog{Connectors: []*Connector{
			a("quuxly", "Quuxly"), a("glacierpa", "Glacier"), a("zorb", "Zorb"), a("zorbcrm", "Zorb CRM"),
			a("tally", "Tally"), a("pdfmill", "Pdfmill PDF"), a("dime", "Dime (on-prem)"), a("bravo", "Bravo"), a("acme", "Acme PDF"),
		}}
	}
	site := func() *Catalog {
		return &Catalog{Connectors: []*Connector{
			s("quuxly", "Trovquux"), s("glacierv2", "Glacier"), s("zorb", "Deprecated Integration [DEPRECATED]"), s("zorbcrm", "Zorb CRM"),
			s("tally", "Tally - Platform"), s("pdfmill", "Doc Converter"), s("pdfmillpdf", "Pdfmill PDF"),
			s("dime", "Dime (on-prem)"), s("dimev2", "Dime"), s("bravo", "Bravo"), s("acme", "Acme PDF"),
		}}
	}
	return []func() *Catalog{defs, api, site}
}

func TestMergeOrderIndependentRealPatterns(t *testing.T) {
	sources := orderSources()
	var first []byte
	for _, p := range permutations(3) {
		c, got := mergeInOrder(t, p, sources)
		ids := map[string]bool{}
		for _, conn := range c.Connectors {
			if ids[conn.ID] {
				t.Errorf("order %v: %s twice", p, conn.ID)
			}
			ids[conn.ID] = true
		}
		if first == nil {
			first = got
			// Which connector each definitions folder joined ("" for a
			// connector with no folder).
			folders := map[string]string{}
			for _, conn := range c.Connectors {
				folders[conn.ID] = conn.Folder
			}
			want := map[string]string{
				// The site's new name: the API's name still finds it.
				"quuxly": "Quuxly",
				// Two listed connectors named "Glacier": only the one whose
				// id the name gives ("glacier" + "v2") answers to it; the
				// first definitions record by id joins it.
				"glacierv2": "Glacier v2", "glacier-2": "glacier", "glacierpa": "",
				// A folder named like the deprecated connector.
				"zorb": "Zorb", "zorbcrm": "",
				"tally": "Tally",
				// The API's stale name "Pdfmill PDF" is another listed
				// connector's: the definition joins that one by id.
				"pdfmill": "", "pdfmillpdf": "Pdfmill PDF Converter Online",
				// "Dime (on-prem)" is not a name that gives the id dime, but
				// the site gives it that name: the definition joins it (once
				// the site is there, in every order).
				"dime": "Dime (on-prem)", "dimev2": "Dime",
				// Likewise "Acme PDF", the site's name for acme.
				"acme": "Acme PDF",
				// The one moved aside takes an id no record brings.
				"bravo": "", "bravo-2": "Bravo Events", "bravo-3": "Bravo Docs",
			}
			if !reflect.DeepEqual(folders, want) {
				t.Errorf("connectors and folders %q, want %q", folders, want)
			}
			continue
		}
		if !bytes.Equal(first, got) {
			t.Errorf("order %v differs:\n%s", p, got)
		}
		for i, s := range sources {
			c.Merge(s())
			again, _ := json.MarshalIndent(c.Connectors, "", " ")
			if !bytes.Equal(got, again) {
				t.Errorf("order %v: merging source %d again changed the catalogue", p, i)
			}
		}
	}
}

func TestSiblingID(t *testing.T) {
	for _, c := range []struct {
		name, id string
		sibling  bool
	}{
		{"Glacier", "glacierpa", true},
		{"Pdfmill PDF", "pdfmill", true},
		{"Dime (on-prem)", "dime", true},
		{"Glacier", "glacierv2", false},
		{"Glacier", "glacier", false},
		{"Abbrevs", "abbrevsip", false},
		{"Abbrevs (Independent Publisher)", "abbrevsip", false},
		{"Strategic Portfolio Planner", "strategicportfoliopl", false}, // cut to 20
		{"Strategic Portfolio Planner", "strategicportfolioplanner", false},
		{"Widget Connect Office", "widgetconnectoffice", false},
		{"Widget Connect Microsoft Office", "widgetconnectoffice", false}, // unrelated id: not judged
	} {
		if got := siblingID(nameID(c.name), c.id); got != c.sibling {
			t.Errorf("siblingID(%q, %q) = %v, want %v", c.name, c.id, got, c.sibling)
		}
	}
}

// A definitions record that a refresh joins to a connector already there
// is reported as renamed into it, not as removed.
func TestDiffJoinedIsNotRemoved(t *testing.T) {
	sources := orderSources()
	old := &Catalog{}
	old.Merge(sources[0]())
	old.Merge(sources[1]())
	if _, ok := old.Connector("acmepdf"); !ok {
		t.Fatal("acmepdf should be apart before the site is read")
	}
	data, _ := json.Marshal(old)
	var before Catalog
	if err := json.Unmarshal(data, &before); err != nil {
		t.Fatal(err)
	}
	before.Reindex()
	old.Merge(sources[2]())
	r := Diff(&before, old, siteAt)
	for _, gone := range r.Removed {
		if _, ok := old.Connector(gone.ID); ok {
			t.Errorf("%s listed as removed but still there", gone.ID)
		}
	}
	found := false
	for _, ren := range r.Renamed {
		if ren.OldID == "acmepdf" && ren.NewID == "acme" && ren.Match == MatchAlias {
			found = true
		}
	}
	if !found {
		t.Errorf("acmepdf -> acme not reported: %+v", r.Renamed)
	}
}
