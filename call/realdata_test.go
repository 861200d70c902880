package call

import (
	"net/http"
	"testing"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/realdata"
)

// realOp finds an operation of the real catalogue by the connector's folder
// in the definitions repository, so the test does not depend on how ids
// are derived.
func realOp(t *testing.T, c *catalog.Catalog, folder, opID string) (*catalog.Connector, *catalog.Operation) {
	t.Helper()
	for _, conn := range c.Connectors {
		if conn.Folder == folder {
			op := conn.Operation(opID)
			if op == nil {
				t.Fatalf("%s (%s) has no operation %s", folder, conn.ID, opID)
			}
			return conn, op
		}
	}
	t.Fatalf("no connector from folder %q in the real catalogue", folder)
	return nil, nil
}

// TestBuildRealDefinitions builds requests for real connector definitions
// and compares them with the exact requests their swagger files describe.
func TestBuildRealDefinitions(t *testing.T) {
	c := realdata.Catalog(t)
	tests := []struct {
		name, folder, op string
		in               Input
		want             wantReq
	}{
		{
			name: "API key in header (Authorization) and URL-encoded form data", folder: "DeepL", op: "CreateGlossary",
			in: Input{
				Params: map[string]string{"name": "Terms", "source_lang": "en", "Target Language": "de", "entries": "Hello\tHallo"},
				Auth:   &Credentials{Type: AuthAPIKey, Secret: "DeepL-Auth-Key k-1"},
			},
			want: wantReq{
				method: "POST", url: "https://api-free.deepl.com/v2/glossaries",
				header: http.Header{
					"Accept":        {"application/json"},
					"Authorization": {"DeepL-Auth-Key k-1"},
					"Content-Type":  {"application/x-www-form-urlencoded"},
					"User-Agent":    {"connex"},
				},
				// entries_format is required with a default: filled.
				body: "name=Terms&source_lang=en&target_lang=de&entries=Hello%09Hallo&entries_format=tsv",
			},
		},
		{
			name: "API key in query", folder: "Abstract Exchange Rates", op: "Convert",
			in: Input{
				Params: map[string]string{"base": "EUR", "target": "USD", "base_amount": "12.5"},
				Auth:   &Credentials{Type: AuthAPIKey, Secret: "q-key"},
			},
			want: wantReq{
				method: "GET", url: "https://exchange-rates.abstractapi.com/v1/convert/?base=EUR&target=USD&base_amount=12.5&api_key=q-key",
				header: http.Header{"User-Agent": {"connex"}},
			},
		},
		{
			name: "basic", folder: "DomainToolsIrisEnrich", op: "Enrich_Domain",
			in: Input{Params: map[string]string{"domain": "example.com"}, Auth: &Credentials{Type: AuthBasic, Secret: "ann:pw"}},
			want: wantReq{
				method: "POST", url: "https://api.domaintools.com/v1/iris-enrich/?domain=example.com",
				header: http.Header{"Authorization": {"Basic YW5uOnB3"}, "User-Agent": {"connex"}},
			},
		},
		{
			name: "OAuth bearer with path, query (internal default), header and body parameters", folder: "AzureDigitalTwins", op: "SendTelemetry",
			in: Input{
				Params: map[string]string{"twinid": "pump 7", "Message-Id": "m-1", "Telemetry-Source-Time": "2026-01-01T00:00:00Z"},
				Body:   []byte(`{"value":"42"}`),
				Auth:   &Credentials{Type: AuthBearer, Secret: "tok"},
			},
			want: wantReq{
				method: "POST", url: "https://digitaltwins.azure.net/digitaltwins/pump%207/telemetry?api-version=2020-10-31",
				header: http.Header{
					"Accept":                {"application/json"},
					"Authorization":         {"Bearer tok"},
					"Content-Type":          {"application/json"},
					"Message-Id":            {"m-1"},
					"Telemetry-Source-Time": {"2026-01-01T00:00:00Z"},
					"User-Agent":            {"connex"},
				},
				body: `{"value":"42"}`,
			},
		},
		{
			name: "API key header, path keys with spaces, internal header defaults", folder: "nunify", op: "ADD_REGISTRANT",
			in: Input{
				Params: map[string]string{"Platform Id": "p1", "Domain Id": "d1", "App Id": "a1"},
				Body:   []byte(`{"email":"a@example.com"}`),
				Auth:   &Credentials{Type: AuthAPIKey, Secret: "n-key"},
			},
			want: wantReq{
				method: "POST", url: "https://app.aidaio.com/platforms/p1/domains/d1/organisations/a1/tickets.json?map_by_labels=true",
				header: http.Header{
					"Accept":       {"application/json"},
					"Content-Type": {"application/json"},
					"User-Agent":   {"connex"},
					"X-Api-Key":    {"n-key"},
				},
				body: `{"email":"a@example.com"}`,
			},
		},
		{
			name: "multipart form data with a file", folder: "DeepL", op: "TranslateDocument",
			in: Input{
				Params:   map[string]string{"target_lang": "DE", "file": "Hello"},
				Auth:     &Credentials{Type: AuthAPIKey, Secret: "DeepL-Auth-Key k-1"},
				Boundary: "B0UNDARY",
			},
			want: wantReq{
				method: "POST", url: "https://api-free.deepl.com/v2/document",
				header: http.Header{
					"Accept":        {"application/json"},
					"Authorization": {"DeepL-Auth-Key k-1"},
					"Content-Type":  {"multipart/form-data; boundary=B0UNDARY"},
					"User-Agent":    {"connex"},
				},
				body: "--B0UNDARY\r\nContent-Disposition: form-data; name=\"target_lang\"\r\n\r\nDE\r\n" +
					"--B0UNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: application/octet-stream\r\n\r\nHello\r\n--B0UNDARY--\r\n",
			},
		},
		{
			name: "declared Accept parameter: no Accept from produces", folder: "DeepL", op: "GetGlossaryEntries",
			in: Input{Params: map[string]string{"glossary_id": "g-1"}},
			want: wantReq{
				method: "GET", url: "https://api-free.deepl.com/v2/glossaries/g-1/entries",
				header: http.Header{"User-Agent": {"connex"}},
			},
		},
		{
			name: "declared multipart Content-Type parameter makes a multipart form", folder: "NetDocuments", op: "CreateUser",
			in: Input{
				Params:   map[string]string{"username": "a@example.com", "displayFirstName": "Ann", "displayLastName": "Lee", "email": "a@example.com", "repository": "r-1"},
				Auth:     &Credentials{Type: AuthBearer, Secret: "tok"},
				Boundary: "B0UNDARY",
			},
			want: wantReq{
				method: "POST", url: "https://api.vault.netvoyage.com/v1/User",
				header: http.Header{
					"Accept":        {"application/json"},
					"Authorization": {"Bearer tok"},
					"Content-Type":  {"multipart/form-data; boundary=B0UNDARY"},
					"User-Agent":    {"connex"},
				},
				// Required defaults filled: external=false, sendWelcome=true.
				body: "--B0UNDARY\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\na@example.com\r\n" +
					"--B0UNDARY\r\nContent-Disposition: form-data; name=\"displayFirstName\"\r\n\r\nAnn\r\n" +
					"--B0UNDARY\r\nContent-Disposition: form-data; name=\"displayLastName\"\r\n\r\nLee\r\n" +
					"--B0UNDARY\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\na@example.com\r\n" +
					"--B0UNDARY\r\nContent-Disposition: form-data; name=\"external\"\r\n\r\nfalse\r\n" +
					"--B0UNDARY\r\nContent-Disposition: form-data; name=\"sendWelcome\"\r\n\r\ntrue\r\n" +
					"--B0UNDARY\r\nContent-Disposition: form-data; name=\"repository\"\r\n\r\nr-1\r\n" + "--B0UNDARY--\r\n",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, op := realOp(t, c, tt.folder, tt.op)
			req, err := Build(conn, op, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s/%s", conn.ID, op.ID)
			checkReq(t, req, tt.want)
		})
	}
}

// TestBuildEveryRealOperation builds every operation of the real catalogue
// from sample values: no panic, and every failure is a reported validation
// or definition problem. Today every one builds.
func TestBuildEveryRealOperation(t *testing.T) {
	c := realdata.Catalog(t)
	total, built := 0, 0
	reasons := map[string]int{}
	for _, conn := range c.Connectors {
		for _, op := range conn.Operations {
			if op.Visibility == catalog.VisibilityInternal {
				continue
			}
			total++
			req, err := Build(conn, op, Input{Params: SampleParams(op), Auth: &Credentials{Type: AuthBearer, Secret: "tok"}, BaseURL: "http://127.0.0.1:1"})
			if err != nil {
				reason := err.Error()
				if len(reason) > 90 {
					reason = reason[:90]
				}
				reasons[reason]++
				continue
			}
			if req.URL == nil || req.URL.Host != "127.0.0.1:1" {
				t.Errorf("%s/%s: URL %v", conn.ID, op.ID, req.URL)
			}
			built++
		}
	}
	t.Logf("built %d of %d non-internal operations (%.2f%%)", built, total, 100*float64(built)/float64(total))
	for r, n := range reasons {
		t.Logf("%4d  %s", n, r)
	}
	if total == 0 || built != total {
		t.Errorf("built %d of %d, want every one", built, total)
	}
}

// BenchmarkBuildRealOperations builds one request per non-internal
// operation of the real catalogue (samples for parameters and bodies).
func BenchmarkBuildRealOperations(b *testing.B) {
	c := realdata.Catalog(b)
	type pair struct {
		conn *catalog.Connector
		op   *catalog.Operation
		in   Input
	}
	var ops []pair
	for _, conn := range c.Connectors {
		for _, op := range conn.Operations {
			if op.Visibility != catalog.VisibilityInternal {
				ops = append(ops, pair{conn, op, Input{Params: SampleParams(op), Auth: &Credentials{Type: AuthBearer, Secret: "tok"}, BaseURL: "http://127.0.0.1:1"}})
			}
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range ops {
			if _, err := Build(p.conn, p.op, p.in); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(ops)), "µs/request")
	b.Logf("%d operations per run", len(ops))
}
