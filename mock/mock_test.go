package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/connex-dev/connex/catalog"
)

// fixture is an invented connector with what the sample catalogue lacks:
// a required header, mixed path segments, ambiguous templates, a file form.
func fixture() *catalog.Connector {
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	return &catalog.Connector{
		ID: "fixture", Name: "Fixture", BasePath: "/api/",
		AuthTypes: []catalog.AuthType{{Type: "oauth2", Name: "OAuth"}},
		Definitions: map[string]json.RawMessage{
			"Item": raw(`{"type":"object","required":["name"],"properties":{"id":{"type":"integer","readOnly":true},"name":{"type":"string"},"kind":{"type":"string","enum":["a","b"]}}}`),
		},
		Operations: []*catalog.Operation{
			{ID: "GetItem", Method: "GET", Path: "/items/{id}",
				Parameters: []catalog.Parameter{
					{Key: "id", In: "path", Required: true, Type: "integer"},
					{Key: "X-Tenant", In: "header", Required: true, Type: "string"},
					{Key: "flag", In: "query", Type: "boolean"},
				},
				Responses: []catalog.Response{{Status: "default"}, {Status: "200", Schema: raw(`{"$ref":"#/definitions/Item"}`)}}},
			{ID: "GetSpecial", Method: "GET", Path: "/items/special",
				Responses: []catalog.Response{{Status: "200", Schema: raw(`{"type":"string","example":"special"}`)}}},
			{ID: "PutItem", Method: "PUT", Path: "/items/{id}",
				Parameters: []catalog.Parameter{
					{Key: "id", In: "path", Required: true, Type: "integer"},
					{Key: "item", In: "body", Required: true, Type: "object", Schema: raw(`{"$ref":"#/definitions/Item"}`)},
				},
				Body:      raw(`{"$ref":"#/definitions/Item"}`),
				Responses: []catalog.Response{{Status: "202", Description: "Accepted"}}},
			{ID: "GetCube", Method: "GET", Path: "/Databases({db})/Cubes({cube})",
				Parameters: []catalog.Parameter{
					{Key: "db", In: "path", Required: true, Type: "string"},
					{Key: "cube", In: "path", Required: true, Type: "integer"},
				},
				Responses: []catalog.Response{{Status: "200", Schema: raw(`{"type":"object","properties":{"cube":{"type":"integer","example":7}}}`)}}},
			{ID: "ThingByA", Method: "GET", Path: "/things/{a}",
				Parameters: []catalog.Parameter{{Key: "a", In: "path", Required: true, Type: "string"}, {Key: "x", In: "query", Required: true, Type: "string"}}},
			{ID: "ThingByB", Method: "GET", Path: "/things/{b}",
				Parameters: []catalog.Parameter{{Key: "b", In: "path", Required: true, Type: "string"}, {Key: "y", In: "query", Required: true, Type: "string"}}},
			{ID: "Upload", Method: "POST", Path: "/files",
				Consumes: []string{"multipart/form-data"},
				Parameters: []catalog.Parameter{
					{Key: "file", In: "formData", Required: true, Type: "file"},
					{Key: "count", In: "formData", Type: "integer"},
				},
				Responses: []catalog.Response{{Status: "201", Schema: raw(`{"type":"object","properties":{"ok":{"type":"boolean","default":true}}}`)}}},
			{ID: "Text", Method: "POST", Path: "/text", Consumes: []string{"text/plain"},
				Parameters: []catalog.Parameter{{Key: "body", In: "body", Required: true, Schema: raw(`{"type":"string"}`)}}},
		},
	}
}

func sampleConn(t testing.TB, id string) *catalog.Connector {
	t.Helper()
	conn, ok := catalog.Sample().Connector(id)
	if !ok {
		t.Fatalf("no sample connector %s", id)
	}
	return conn
}

type result struct {
	status int
	header http.Header
	body   string
}

func do(h http.Handler, method, target string, header map[string]string, body string) result {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return result{rec.Code, rec.Header(), rec.Body.String()}
}

func errorOf(t *testing.T, r result) ErrorBody {
	t.Helper()
	var eb ErrorBody
	if err := json.Unmarshal([]byte(r.body), &eb); err != nil {
		t.Fatalf("error body %q: %v", r.body, err)
	}
	return eb
}

// TestBadRequestMessages pins the 400 message for each kind of mistake.
func TestBadRequestMessages(t *testing.T) {
	tasks := New(sampleConn(t, "sampletasks"), Options{})
	weather := New(sampleConn(t, "sampleweather"), Options{})
	orders := New(sampleConn(t, "sampleorders"), Options{})
	fix := New(fixture(), Options{})
	jsonCT := map[string]string{"Content-Type": "application/json"}
	for _, tc := range []struct {
		name           string
		h              http.Handler
		method, target string
		header         map[string]string
		body           string
		want           string
		param, in      string
	}{
		{"missing path parameter", tasks, "GET", "/tasks/v1/tasks/", nil, "",
			`missing required path parameter "taskId"`, "taskId", "path"},
		{"missing query parameter", weather, "GET", "/weather/current?units=metric", nil, "",
			`missing required query parameter "city"`, "city", "query"},
		{"empty integer", tasks, "GET", "/tasks/v1/tasks?%24top=", nil, "",
			`query parameter "$top" must be an integer, got ""`, "$top", "query"},
		{"missing header parameter", fix, "GET", "/api/items/5", nil, "",
			`missing required header parameter "X-Tenant"`, "X-Tenant", "header"},
		{"bad integer in query", tasks, "GET", "/tasks/v1/tasks?%24top=abc", nil, "",
			`query parameter "$top" must be an integer, got "abc"`, "$top", "query"},
		{"bad integer in path", orders, "GET", "/shop/orders/12x", nil, "",
			`path parameter "orderId" must be an integer, got "12x"`, "orderId", "path"},
		{"bad integer in a mixed segment", fix, "GET", "/api/Databases(d1)/Cubes(c1)", nil, "",
			`path parameter "cube" must be an integer, got "c1"`, "cube", "path"},
		{"bad boolean", fix, "GET", "/api/items/5?flag=yes", map[string]string{"X-Tenant": "t"}, "",
			`query parameter "flag" must be true or false, got "yes"`, "flag", "query"},
		{"enum violation", weather, "GET", "/weather/current?city=Lisbon&units=kelvin", nil, "",
			`query parameter "units" must be one of "metric", "imperial"; got "kelvin"`, "units", "query"},
		{"missing body", orders, "POST", "/shop/orders", jsonCT, "",
			`missing required body parameter "body"`, "body", "body"},
		{"invalid JSON body", orders, "POST", "/shop/orders", jsonCT, `{x}`,
			`request body is not valid JSON: invalid character 'x' looking for beginning of object key string (at byte 2)`, "body", "body"},
		{"truncated JSON body", orders, "POST", "/shop/orders", jsonCT, `{"customerId":`,
			`request body is not valid JSON: unexpected end of the body`, "body", "body"},
		{"trailing data", orders, "POST", "/shop/orders", jsonCT, `{} {}`,
			`request body is not valid JSON: data after the JSON value (at byte 2)`, "body", "body"},
		{"missing required body property", tasks, "POST", "/tasks/v1/tasks", jsonCT, `{"done":true}`,
			`missing required body property "title"`, "body", "body"},
		{"missing nested body property", orders, "POST", "/shop/orders", jsonCT, `{"customerId":"c","lines":[{"sku":"s"}]}`,
			`missing required body property "lines[0].quantity"`, "body", "body"},
		{"body property type", orders, "POST", "/shop/orders", jsonCT, `{"customerId":"c","lines":[{"sku":"s","quantity":"2"}]}`,
			`body property "lines[0].quantity" must be an integer, got string`, "body", "body"},
		{"body enum", fix, "PUT", "/api/items/1", jsonCT, `{"name":"n","kind":"c"}`,
			`body property "kind" must be one of "a", "b"; got "c"`, "item", "body"},
		{"body root type", orders, "POST", "/shop/orders", jsonCT, `[]`,
			`request body must be an object, got array`, "body", "body"},
		{"missing form field", tasks, "POST", "/tasks/v1/tasks/legacy", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "other=1",
			`missing required form parameter "title"`, "title", "formData"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(tc.h, tc.method, tc.target, tc.header, tc.body)
			if r.status != http.StatusBadRequest {
				t.Fatalf("status %d (%s), want 400", r.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("content type %q", ct)
			}
			eb := errorOf(t, r)
			if eb.Error != tc.want || eb.Parameter != tc.param || eb.In != tc.in {
				t.Errorf("got  %q (parameter %q in %q)\nwant %q (parameter %q in %q)", eb.Error, eb.Parameter, eb.In, tc.want, tc.param, tc.in)
			}
		})
	}
	// The whole error document, once.
	r := do(weather, "GET", "/weather/current", nil, "")
	want := `{"error":"missing required query parameter \"city\"","operation":"GetCurrentWeather","parameter":"city","in":"query","problems":["missing required query parameter \"city\""]}` + "\n"
	if r.body != want {
		t.Errorf("error document\n got %s\nwant %s", r.body, want)
	}
	// Every problem is listed, the first one as the error.
	r = do(orders, "POST", "/shop/orders", jsonCT, `{"lines":[{}]}`)
	if got := errorOf(t, r).Problems; !reflect.DeepEqual(got, []string{
		`missing required body property "customerId"`,
		`missing required body property "lines[0].sku"`,
		`missing required body property "lines[0].quantity"`,
	}) {
		t.Errorf("problems %q", got)
	}
}

// TestAnswers pins the success answers: status, headers and body.
func TestAnswers(t *testing.T) {
	tasks := New(sampleConn(t, "sampletasks"), Options{})
	weather := New(sampleConn(t, "sampleweather"), Options{})
	orders := New(sampleConn(t, "sampleorders"), Options{})
	fix := New(fixture(), Options{})
	jsonCT := map[string]string{"Content-Type": "application/json"}
	task := `{"done":false,"due":"2026-01-01T00:00:00Z","id":"t-42","owner":"user@example.com","tags":["string"],"title":"Write the report"}`
	order := `{"customerId":"c-7","id":1001,"lines":[{"quantity":2,"sku":"SKU-1"}],"total":0}`
	var mp bytes.Buffer
	mw := multipart.NewWriter(&mp)
	fw, _ := mw.CreateFormFile("file", "a.txt")
	_, _ = fw.Write([]byte("hello"))
	_ = mw.WriteField("count", "3")
	_ = mw.Close()
	for _, tc := range []struct {
		name           string
		h              http.Handler
		method, target string
		header         map[string]string
		body           string
		status         int
		op, want       string
	}{
		{"list", tasks, "GET", "/tasks/v1/tasks?status=done&%24top=5", nil, "", 200, "ListTasks", "[" + task + "]\n"},
		{"get", tasks, "GET", "/tasks/v1/tasks/t-1", nil, "", 200, "GetTask", task + "\n"},
		{"create 201", tasks, "POST", "/tasks/v1/tasks", jsonCT, `{"title":"x"}`, 201, "CreateTaskV2", task + "\n"},
		{"literal beats parameter", tasks, "POST", "/tasks/v1/tasks/legacy", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "title=x", 200, "CreateTask", ""},
		{"parameter route for GET", tasks, "GET", "/tasks/v1/tasks/legacy", nil, "", 200, "GetTask", task + "\n"},
		{"trigger", tasks, "GET", "/tasks/v1/tasks/trigger/done", nil, "", 200, "OnTaskDone", "[" + task + "]\n"},
		{"weather", weather, "GET", "/weather/current?city=Lisbon", nil, "", 200, "GetCurrentWeather", `{"city":"Lisbon","conditions":"clear","temperature":21.5}` + "\n"},
		{"internal op is served", weather, "GET", "/weather/alerts", nil, "", 200, "GetAlertsInternal", ""},
		{"escaped path value", weather, "GET", "/weather/forecast/New%20York%2FNY", nil, "", 200, "GetForecast", `[{"date":"2026-01-01","high":0,"low":0}]` + "\n"},
		{"order 201", orders, "POST", "/shop/orders", jsonCT, `{"customerId":"c","lines":[{"sku":"s","quantity":1}],"extra":true}`, 201, "CreateOrder", order + "\n"},
		{"HEAD like GET", orders, "HEAD", "/shop/orders/7", nil, "", 200, "GetOrder", ""},
		{"204 has no body", orders, "DELETE", "/shop/orders/7", nil, "", 204, "DeleteOrder", ""},
		{"webhook", orders, "POST", "/shop/hooks", jsonCT, `{"callbackUrl":"https://example.com/cb"}`, 201, "OnNewOrder", ""},
		{"first 2xx, not default", fix, "GET", "/api/items/5", map[string]string{"X-Tenant": "t"}, "", 200, "GetItem", `{"id":0,"kind":"a","name":"string"}` + "\n"},
		{"readOnly may be left out", fix, "PUT", "/api/items/5", jsonCT, `{"name":"n"}`, 202, "PutItem", ""},
		{"literal route", fix, "GET", "/api/items/special", nil, "", 200, "GetSpecial", `"special"` + "\n"},
		{"mixed segments", fix, "GET", "/api/Databases(d1)/Cubes(3)", nil, "", 200, "GetCube", `{"cube":7}` + "\n"},
		{"equal templates: the one that fits", fix, "GET", "/api/things/t?y=1", nil, "", 200, "ThingByB", ""},
		{"multipart file", fix, "POST", "/api/files", map[string]string{"Content-Type": mw.FormDataContentType()}, mp.String(), 201, "Upload", `{"ok":true}` + "\n"},
		{"non-JSON body is not parsed", fix, "POST", "/api/text", map[string]string{"Content-Type": "text/plain"}, "plain words", 200, "Text", ""},
		{"without the base path", tasks, "GET", "/tasks/t-1", nil, "", 200, "GetTask", task + "\n"},
		{"doubled slash", tasks, "GET", "/tasks/v1//tasks", nil, "", 200, "ListTasks", "[" + task + "]\n"},
		{"empty string is a value", weather, "GET", "/weather/current?city=", nil, "", 200, "GetCurrentWeather", `{"city":"Lisbon","conditions":"clear","temperature":21.5}` + "\n"},
		{"trailing slash", tasks, "GET", "/tasks/v1/tasks/trigger/done/", nil, "", 200, "OnTaskDone", "[" + task + "]\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := do(tc.h, tc.method, tc.target, tc.header, tc.body)
			if r.status != tc.status || r.body != tc.want {
				t.Fatalf("got %d %q\nwant %d %q", r.status, r.body, tc.status, tc.want)
			}
			if got := r.header.Get(HeaderOperation); got != tc.op {
				t.Errorf("operation %q, want %q", got, tc.op)
			}
			wantCT := ""
			if tc.want != "" || tc.method == "HEAD" {
				wantCT = "application/json"
			}
			if got := r.header.Get("Content-Type"); got != wantCT {
				t.Errorf("content type %q, want %q", got, wantCT)
			}
		})
	}
}

func TestNotFoundAndMethod(t *testing.T) {
	tasks := New(sampleConn(t, "sampletasks"), Options{})
	r := do(tasks, "GET", "/nowhere?appid=SECRET", nil, "")
	if r.status != 404 || r.body != `{"error":"no operation of sampletasks matches GET /nowhere; its paths start with /tasks/v1"}`+"\n" {
		t.Errorf("404: %d %s", r.status, r.body)
	}
	r = do(tasks, "PATCH", "/tasks/v1/tasks", nil, "")
	if r.status != 405 || r.header.Get("Allow") != "GET, POST" ||
		r.body != `{"error":"PATCH is not allowed on /tasks/v1/tasks; allowed: GET, POST","allowed":["GET","POST"]}`+"\n" {
		t.Errorf("405: %d %q %s", r.status, r.header.Get("Allow"), r.body)
	}
}

func TestAuth(t *testing.T) {
	for _, tc := range []struct {
		id, target string
		cred       map[string]string
		want       string
	}{
		{"sampletasks", "/tasks/v1/tasks", map[string]string{"X-Api-Key": "k"},
			`missing credentials: send an API key in header "X-Api-Key" (any value works with the mock)`},
		{"sampleweather", "/weather/current?city=x", nil,
			`missing credentials: send an API key in query parameter "appid" (any value works with the mock)`},
		{"sampleorders", "/shop/orders/1", map[string]string{"Authorization": "Basic dTpw"},
			`missing credentials: send HTTP basic credentials ("Authorization: Basic ...") (any value works with the mock)`},
	} {
		t.Run(tc.id, func(t *testing.T) {
			conn := sampleConn(t, tc.id)
			strict := New(conn, Options{RequireAuth: true})
			r := do(strict, "GET", tc.target, nil, "")
			if r.status != 401 || errorOf(t, r).Error != tc.want {
				t.Fatalf("got %d %s\nwant 401 %q", r.status, r.body, tc.want)
			}
			target := tc.target
			if tc.cred == nil {
				target += "&appid=anything"
			}
			if r := do(strict, "GET", target, tc.cred, ""); r.status != 200 {
				t.Errorf("with credentials: %d %s", r.status, r.body)
			}
			if r := do(New(conn, Options{}), "GET", tc.target, nil, ""); r.status != 200 {
				t.Errorf("learner default without credentials: %d %s", r.status, r.body)
			}
		})
	}
	r := do(New(fixture(), Options{RequireAuth: true}), "GET", "/api/items/special", nil, "")
	if want := `missing credentials: send a bearer token ("Authorization: Bearer ...") (any value works with the mock)`; errorOf(t, r).Error != want {
		t.Errorf("oauth: %s", r.body)
	}
	none := &catalog.Connector{ID: "open", AuthTypes: []catalog.AuthType{{Type: "none"}},
		Operations: []*catalog.Operation{{ID: "Ping", Method: "GET", Path: "/ping"}}}
	if r := do(New(none, Options{RequireAuth: true}), "GET", "/ping", nil, ""); r.status != 200 {
		t.Errorf("no auth declared: %d %s", r.status, r.body)
	}
}

func TestBodyLimit(t *testing.T) {
	h := New(sampleConn(t, "sampleorders"), Options{MaxBody: 10})
	r := do(h, "POST", "/shop/orders", map[string]string{"Content-Type": "application/json"}, `{"customerId":"c-7"}`)
	if r.status != http.StatusRequestEntityTooLarge || errorOf(t, r).Error != "request body over the mock's limit of 10 bytes" {
		t.Errorf("got %d %s", r.status, r.body)
	}
}

func TestPanicIsNot5xx(t *testing.T) {
	conn := sampleConn(t, "sampletasks")
	var logged []Entry
	var mu sync.Mutex
	h := New(conn, Options{Log: func(e Entry) { mu.Lock(); logged = append(logged, e); mu.Unlock() }}).(*handler)
	// A route whose preparation was skipped: check dereferences nil.
	h.routes[0].once.Do(func() {})
	r := do(h, "GET", "/tasks/v1/tasks", nil, "")
	if r.status != StatusMockFailure || r.status >= 500 {
		t.Fatalf("status %d, want %d", r.status, StatusMockFailure)
	}
	if got := errorOf(t, r).Error; got != "the mock failed on this request (runtime error: invalid memory address or nil pointer dereference); this is a connex bug, please report it" {
		t.Errorf("message %q", got)
	}
	if len(logged) != 1 || logged[0].Status != StatusMockFailure || logged[0].Path != "/tasks/v1/tasks" {
		t.Errorf("log %+v", logged)
	}
}

func TestStart(t *testing.T) {
	conn := sampleConn(t, "sampleweather")
	var mu sync.Mutex
	var log []Entry
	s, err := Start(conn, Options{Log: func(e Entry) { mu.Lock(); log = append(log, e); mu.Unlock() }})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") || s.BaseURL != s.URL+"/weather" {
		t.Errorf("URL %q, BaseURL %q", s.URL, s.BaseURL)
	}
	resp, err := http.Get(s.BaseURL + "/current?city=Porto&appid=SECRET")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get(HeaderMock) != "sampleweather" || !strings.Contains(string(b), `"city":"Lisbon"`) {
		t.Errorf("got %d %s", resp.StatusCode, b)
	}
	if err := s.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	if s.Err() != nil {
		t.Errorf("Err after Close: %v", s.Err())
	}
	mu.Lock()
	defer mu.Unlock()
	if len(log) != 1 || log[0].Method != "GET" || log[0].Path != "/weather/current" || log[0].Status != 200 || log[0].Operation != "GetCurrentWeather" {
		t.Errorf("log %+v (the query, which may hold a key, must not be logged)", log)
	}

	if _, err := Start(conn, Options{Addr: "0.0.0.0:0"}); !errors.Is(err, ErrNotLoopback) {
		t.Errorf("0.0.0.0 without Public: %v", err)
	}
	for addr, want := range map[string]bool{
		"127.0.0.1:0": true, "[::1]:80": true, "localhost:8080": true, "127.5.5.5:1": true,
		"0.0.0.0:80": false, ":8080": false, "192.168.1.2:80": false, "example.com:80": false, "nonsense": false,
	} {
		if got := IsLoopback(addr); got != want {
			t.Errorf("IsLoopback(%q) = %v", addr, got)
		}
	}
}

// TestExamples: the examples shown to learners are accepted by the mock.
func TestExamples(t *testing.T) {
	var got []string
	for _, conn := range catalog.Sample().Connectors {
		h := New(conn, Options{})
		for _, ex := range Examples(conn, "http://127.0.0.1:1", 10) {
			got = append(got, ex.Method+" "+ex.URL+" "+ex.Body)
			r := do(h, ex.Method, ex.URL, ex.Headers, ex.Body)
			if r.status < 200 || r.status > 299 {
				t.Errorf("%s %s: %d %s", ex.Method, ex.URL, r.status, r.body)
			}
		}
	}
	want := []string{
		"GET http://127.0.0.1:1/shop/orders/0 ",
		`POST http://127.0.0.1:1/shop/orders {"customerId":"c-7","lines":[{"quantity":2,"sku":"SKU-1"}]}`,
		"DELETE http://127.0.0.1:1/shop/orders/0 ",
		`POST http://127.0.0.1:1/shop/hooks {"callbackUrl":"https://example.com"}`,
		"GET http://127.0.0.1:1/tasks/v1/tasks ",
		"GET http://127.0.0.1:1/tasks/v1/tasks/string ",
		`POST http://127.0.0.1:1/tasks/v1/tasks {"title":"Write the report"}`,
		"GET http://127.0.0.1:1/tasks/v1/tasks/trigger/done ",
		"GET http://127.0.0.1:1/weather/current?city=string ",
		"GET http://127.0.0.1:1/weather/forecast/string ",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("examples\n got %q\nwant %q", got, want)
	}
}
