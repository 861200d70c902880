package schema

import (
	"encoding/json"
	"testing"

	"github.com/connex-dev/connex/catalog"
)

// BenchmarkParseResolveSample measures the work behind one body skeleton
// of the sample catalogue's largest schema.
func BenchmarkParseResolveSample(b *testing.B) {
	conn, _ := catalog.Sample().Connector("sampleorders")
	raw := json.RawMessage(`{"$ref":"#/definitions/Order"}`)
	b.ReportAllocs()
	for b.Loop() {
		s, err := Parse(raw)
		if err != nil {
			b.Fatal(err)
		}
		_ = Sample(Resolve(s, conn.Definitions, 0), SampleOptions{RequiredOnly: true, Request: true})
	}
}
