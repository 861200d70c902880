package mock

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkHandler measures one validated request and answer on the
// sample orders connector (body checked against its schema).
func BenchmarkHandler(b *testing.B) {
	conn := sampleConn(b, "sampleorders")
	h := New(conn, Options{})
	body := `{"customerId":"c","lines":[{"sku":"s","quantity":1},{"sku":"t","quantity":2}]}`
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/shop/orders", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 201 {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}
