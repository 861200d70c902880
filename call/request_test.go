package call

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/connex-dev/connex/catalog"
)

// wantReq is an exact expected request.
type wantReq struct {
	method string
	url    string
	header http.Header
	body   string
}

func checkReq(t *testing.T, got *Request, want wantReq) {
	t.Helper()
	if got.Method != want.method {
		t.Errorf("method = %q, want %q", got.Method, want.method)
	}
	if got.URL.String() != want.url {
		t.Errorf("url =\n  %s\nwant\n  %s", got.URL, want.url)
	}
	if !reflect.DeepEqual(got.Header, want.header) {
		t.Errorf("headers =\n  %v\nwant\n  %v", got.Header, want.header)
	}
	if string(got.Body) != want.body {
		t.Errorf("body =\n%s\nwant\n%s", got.Body, want.body)
	}
}

func sampleOp(t *testing.T, conn, op string) (*catalog.Connector, *catalog.Operation) {
	t.Helper()
	c, o, ok := catalog.Sample().Operation(conn, op)
	if !ok {
		t.Fatalf("sample %s/%s not found", conn, op)
	}
	return c, o
}

func TestBuildSample(t *testing.T) {
	const key = "k-123456"
	tests := []struct {
		name    string
		conn    string
		op      string
		in      Input
		want    wantReq
		secretH []string
		secretQ []string
	}{
		{
			name: "apikey header and required JSON body skeleton",
			conn: "sampletasks", op: "CreateTaskV2",
			in: Input{Params: map[string]string{"X-Request-Id": "00000000-0000-4000-8000-000000000001"}, Auth: &Credentials{Type: AuthAPIKey, Secret: key}},
			want: wantReq{
				method: "POST",
				url:    "https://api.connex-sample.invalid/tasks/v1/tasks",
				header: http.Header{
					"Accept":       {"application/json"},
					"Content-Type": {"application/json"},
					"User-Agent":   {"connex"},
					"X-Api-Key":    {key},
					"X-Request-Id": {"00000000-0000-4000-8000-000000000001"},
				},
				body: "{\n  \"title\": \"Write the report\"\n}",
			},
			secretH: []string{"X-Api-Key"},
		},
		{
			name: "apikey query, enum default not sent, display name accepted",
			conn: "sampleweather", op: "GetCurrentWeather",
			in: Input{Params: map[string]string{"City": "Lisbon & Porto"}, Auth: &Credentials{Type: AuthAPIKey, Secret: key}},
			want: wantReq{
				method: "GET",
				url:    "https://api.connex-sample.invalid/weather/current?city=Lisbon+%26+Porto&appid=" + key,
				header: http.Header{"Accept": {"application/json"}, "User-Agent": {"connex"}},
			},
			secretQ: []string{"appid"},
		},
		{
			name: "basic, path parameter",
			conn: "sampleorders", op: "GetOrder",
			in: Input{Params: map[string]string{"orderId": "1001"}, Auth: &Credentials{Type: AuthBasic, Secret: "ann:pa:ss"}},
			want: wantReq{
				method: "GET",
				url:    "https://api.connex-sample.invalid/shop/orders/1001",
				header: http.Header{"Accept": {"application/json"}, "User-Agent": {"connex"}, "Authorization": {"Basic YW5uOnBhOnNz"}},
			},
			secretH: []string{"Authorization"},
		},
		{
			name: "bearer, base URL with no path keeps the base path, path value escaped",
			conn: "sampleweather", op: "GetForecast",
			in: Input{Params: map[string]string{"city": "São Paulo/x", "days": "5"}, Auth: &Credentials{Type: AuthBearer, Secret: "tok-abcdef"}, BaseURL: "http://127.0.0.1:9/"},
			want: wantReq{
				method: "GET",
				url:    "http://127.0.0.1:9/weather/forecast/S%C3%A3o%20Paulo%2Fx?days=5",
				header: http.Header{"Accept": {"application/json"}, "User-Agent": {"connex"}, "Authorization": {"Bearer tok-abcdef"}},
			},
			secretH: []string{"Authorization"},
		},
		{
			name: "form data, base URL with a path replaces the base path",
			conn: "sampletasks", op: "CreateTask",
			in: Input{Params: map[string]string{"title": "a b&c"}, BaseURL: "http://127.0.0.1:9/proxy/"},
			want: wantReq{
				method: "POST",
				url:    "http://127.0.0.1:9/proxy/tasks/legacy",
				header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "User-Agent": {"connex"}},
				body:   "title=a+b%26c",
			},
		},
		{
			name: "given body is sent as is",
			conn: "sampleorders", op: "CreateOrder",
			in: Input{Body: []byte(`{"customerId":"c-1","lines":[]}`)},
			want: wantReq{
				method: "POST",
				url:    "https://api.connex-sample.invalid/shop/orders",
				header: http.Header{"Accept": {"application/json"}, "Content-Type": {"application/json"}, "User-Agent": {"connex"}},
				body:   `{"customerId":"c-1","lines":[]}`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, op := sampleOp(t, tt.conn, tt.op)
			req, err := Build(conn, op, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			checkReq(t, req, tt.want)
			if !reflect.DeepEqual(req.SecretHeaders, tt.secretH) || !reflect.DeepEqual(req.SecretQuery, tt.secretQ) {
				t.Errorf("secrets = %v %v, want %v %v", req.SecretHeaders, req.SecretQuery, tt.secretH, tt.secretQ)
			}
		})
	}
}

func TestBuildSkeletonNested(t *testing.T) {
	conn, op := sampleOp(t, "sampleorders", "CreateOrder")
	req, err := Build(conn, op, Input{})
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"customerId\": \"c-7\",\n  \"lines\": [\n    {\n      \"quantity\": 2,\n      \"sku\": \"SKU-1\"\n    }\n  ]\n}"
	if string(req.Body) != want {
		t.Errorf("skeleton =\n%s\nwant\n%s", req.Body, want)
	}
}

func TestBuildValidation(t *testing.T) {
	tests := []struct {
		name, conn, op string
		params         map[string]string
		body           string
		want           []string
	}{
		{"missing required", "sampleweather", "GetCurrentWeather", nil, "",
			[]string{`parameter "city" (query): is required`}},
		{"not an integer", "sampleorders", "GetOrder", map[string]string{"orderId": "12a"}, "",
			[]string{`parameter "orderId" (path): "12a" is not an integer`}},
		{"not in enum", "sampletasks", "ListTasks", map[string]string{"status": "later", "$top": "x"}, "",
			[]string{`parameter "$top" (query): "x" is not a 32-bit integer`, `parameter "status" (query): "later" is not one of open, done, all`}},
		{"unknown parameter", "sampletasks", "GetTask", map[string]string{"taskId": "1", "colour": "red"}, "",
			[]string{`parameter "colour": unknown parameter; this operation takes taskId`}},
		{"bad JSON body", "sampleorders", "CreateOrder", nil, `{"a":`,
			[]string{`parameter "body" (body): is not valid JSON (unexpected end of JSON input at byte 5)`}},
		{"body where none is taken", "sampletasks", "GetTask", map[string]string{"taskId": "1"}, `{}`,
			[]string{`parameter "body" (body): this operation takes no body`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn, op := sampleOp(t, tt.conn, tt.op)
			in := Input{Params: tt.params}
			if tt.body != "" {
				in.Body = []byte(tt.body)
			}
			_, err := Build(conn, op, in)
			var ve *ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, ErrInvalidInput) {
				t.Fatalf("err = %v, want a ValidationError", err)
			}
			var got []string
			for _, p := range ve.Problems {
				got = append(got, p.Error())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems =\n  %q\nwant\n  %q", got, tt.want)
			}
		})
	}
}

func TestBuildNotCallable(t *testing.T) {
	conn := &catalog.Connector{ID: "x"}
	_, err := Build(conn, &catalog.Operation{ID: "Y"}, Input{})
	if !errors.Is(err, ErrNotCallable) {
		t.Fatalf("err = %v, want ErrNotCallable", err)
	}
	_, err = Build(conn, &catalog.Operation{ID: "Y", Method: "GET", Path: "/y"}, Input{})
	if !errors.Is(err, ErrNoHost) || !strings.Contains(err.Error(), "--base-url") {
		t.Fatalf("err = %v, want ErrNoHost naming --base-url", err)
	}
}

// x-ms-url-encoding: double encodes a path value twice (SharePoint's site
// address); the others once.
func TestBuildDoubleEncodedPath(t *testing.T) {
	conn := &catalog.Connector{ID: "sp", Host: "sp.example", Schemes: []string{"https"}}
	op := &catalog.Operation{ID: "GetItems", Method: "GET", Path: "/datasets/{dataset}/tables/{table}/items",
		Parameters: []catalog.Parameter{
			{Key: "dataset", In: "path", Required: true, URLEncoding: catalog.URLEncodingDouble},
			{Key: "table", In: "path", Required: true},
		}}
	req, err := Build(conn, op, Input{Params: map[string]string{"dataset": "https://contoso.example/sites/a b", "table": "x/y"}})
	if err != nil {
		t.Fatal(err)
	}
	checkReq(t, req, wantReq{method: "GET", url: "https://sp.example/datasets/https:%252F%252Fcontoso.example%252Fsites%252Fa%2520b/tables/x%2Fy/items",
		header: http.Header{"User-Agent": {"connex"}}})
}

func TestBuildMultipart(t *testing.T) {
	conn := &catalog.Connector{ID: "files", Host: "files.example", Schemes: []string{"https"}}
	op := &catalog.Operation{ID: "Upload", Method: "POST", Path: "/upload", Consumes: []string{"multipart/form-data"},
		Parameters: []catalog.Parameter{
			{Key: "file", In: "formData", Type: "file", Required: true},
			{Key: "note", In: "formData", Type: "string"},
		}}
	req, err := Build(conn, op, Input{Params: map[string]string{"file": "hello", "note": "n"}, Boundary: "BOUNDARY"})
	if err != nil {
		t.Fatal(err)
	}
	want := "--BOUNDARY\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file\"\r\nContent-Type: application/octet-stream\r\n\r\nhello\r\n" +
		"--BOUNDARY\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nn\r\n--BOUNDARY--\r\n"
	checkReq(t, req, wantReq{method: "POST", url: "https://files.example/upload",
		header: http.Header{"Content-Type": {"multipart/form-data; boundary=BOUNDARY"}, "User-Agent": {"connex"}}, body: want})
}

func TestPreviewAndCurlMaskSecrets(t *testing.T) {
	const secret = "SUPERSECRET-1"
	conn, op := sampleOp(t, "sampleweather", "GetCurrentWeather")
	req, err := Build(conn, op, Input{Params: map[string]string{"city": "Oslo"}, Auth: &Credentials{Type: AuthAPIKey, Secret: secret}})
	if err != nil {
		t.Fatal(err)
	}
	wantPreview := "GET https://api.connex-sample.invalid/weather/current?city=Oslo&appid=****\nAccept: application/json\nUser-Agent: connex\n"
	if got := Preview(req); got != wantPreview {
		t.Errorf("preview =\n%s\nwant\n%s", got, wantPreview)
	}
	wantCurl := "curl 'https://api.connex-sample.invalid/weather/current?city=Oslo&appid=****' \\\n  -H 'Accept: application/json' \\\n  -H 'User-Agent: connex'\n"
	if got := Curl(req, CurlMasked); got != wantCurl {
		t.Errorf("curl =\n%s\nwant\n%s", got, wantCurl)
	}
	wantEnv := "# export CONNEX_SECRET=... (the secret) first\ncurl 'https://api.connex-sample.invalid/weather/current?city=Oslo&appid='\"${CONNEX_SECRET}\" \\\n  -H 'Accept: application/json' \\\n  -H 'User-Agent: connex'\n"
	if got := Curl(req, CurlEnv); got != wantEnv {
		t.Errorf("curl env =\n%s\nwant\n%s", got, wantEnv)
	}

	conn, op = sampleOp(t, "sampleorders", "CreateOrder")
	req, err = Build(conn, op, Input{Body: []byte(`{"customerId":"it's"}`), Auth: &Credentials{Type: AuthBasic, Secret: "ann:" + secret}})
	if err != nil {
		t.Fatal(err)
	}
	wantCurl = "curl -X POST https://api.connex-sample.invalid/shop/orders \\\n  -H 'Accept: application/json' \\\n  -u '****' \\\n  -H 'Content-Type: application/json' \\\n  -H 'User-Agent: connex' \\\n  --data-binary '{\"customerId\":\"it'\\''s\"}'\n"
	if got := Curl(req, CurlMasked); got != wantCurl {
		t.Errorf("curl =\n%s\nwant\n%s", got, wantCurl)
	}
	if got := Curl(req, CurlEnv); !strings.Contains(got, `-u "${CONNEX_SECRET}"`) {
		t.Errorf("curl env has no -u \"${CONNEX_SECRET}\":\n%s", got)
	}
	for _, s := range []string{Preview(req), Curl(req, CurlMasked), Curl(req, CurlEnv)} {
		if strings.Contains(s, secret) || strings.Contains(s, "YW5uOlNVUEVSU0VDUkVULTE=") {
			t.Errorf("secret leaked:\n%s", s)
		}
	}
}

// A response's headers, as `call -i` and the explorer show them: names in
// order, every value scrubbed of the request's secret (a server may echo
// it), and the JSON copy scrubbed the same way.
func TestResponseHeadersScrubbed(t *testing.T) {
	const secret = "SUPERSECRET-1"
	conn, op := sampleOp(t, "sampleweather", "GetCurrentWeather")
	req, err := Build(conn, op, Input{Params: map[string]string{"city": "Oslo"}, Auth: &Credentials{Type: AuthAPIKey, Secret: secret}})
	if err != nil {
		t.Fatal(err)
	}
	h := http.Header{"X-Echo": {"key=" + secret, "two"}, "Content-Type": {"application/json"}, "A-First": {"1"}}
	want := []string{"A-First: 1", "Content-Type: application/json", "X-Echo: key=****", "X-Echo: two"}
	if got := req.HeaderLines(h); !reflect.DeepEqual(got, want) {
		t.Errorf("HeaderLines = %q, want %q", got, want)
	}
	scrubbed := req.ScrubHeader(h)
	if got := scrubbed["X-Echo"]; !reflect.DeepEqual(got, []string{"key=****", "two"}) {
		t.Errorf("ScrubHeader X-Echo = %q", got)
	}
	if h.Get("X-Echo") != "key="+secret {
		t.Error("ScrubHeader changed the headers it was given")
	}
}
