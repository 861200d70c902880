package jsonx_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/connex-dev/connex/internal/jsonx"
)

func TestScanHelpers(t *testing.T) {
	raw := []byte(`{"b":1,"a":{"x":[1,"two",{"$ref":"#/definitions/T"}]},"b":"last","s":"q\"uote","t":"True","l":["u","v"]}`)
	var keys []string
	for _, m := range jsonx.Members(raw) {
		keys = append(keys, m.Key+"="+string(m.Value))
	}
	want := []string{`b="last"`, `a={"x":[1,"two",{"$ref":"#/definitions/T"}]}`, `s="q\"uote"`, `t="True"`, `l=["u","v"]`}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("Members = %q\nwant %q", keys, want)
	}
	var visited []string
	jsonx.Each(raw, func(k []byte, _ json.RawMessage) { visited = append(visited, string(k)) })
	if got := strings.Join(visited, ","); got != "b,a,b,s,t,l" {
		t.Errorf("Each visited %s", got)
	}
	if got := jsonx.Text(jsonx.Get(raw, "s")); got != `q"uote` {
		t.Errorf("Text(s) = %q", got)
	}
	if !jsonx.Bool(jsonx.Get(raw, "t")) || jsonx.Bool(jsonx.Get(raw, "b")) {
		t.Error("Bool: True is true, \"last\" is false")
	}
	if got := jsonx.Texts(jsonx.Get(raw, "l")); !reflect.DeepEqual(got, []string{"u", "v"}) {
		t.Errorf("Texts = %q", got)
	}
	if got := jsonx.Refs(raw); !reflect.DeepEqual(got, []string{"#/definitions/T"}) {
		t.Errorf("Refs = %q", got)
	}
	if v, ok := jsonx.Pointer(raw, []string{"a", "x", "1"}); !ok || string(v) != `"two"` {
		t.Errorf("Pointer a/x/1 = %s %v", v, ok)
	}
	if got := jsonx.PointerUnescape("My%20Type~1x~0y"); got != "My Type/x~y" {
		t.Errorf("PointerUnescape = %q", got)
	}
	if jsonx.IsObject([]byte(` [1]`)) || !jsonx.IsObject([]byte(" {}")) {
		t.Error("IsObject")
	}
	if n := len(jsonx.Elems([]byte(`[1, {"a":[2,3]}, "x"]`))); n != 3 {
		t.Errorf("Elems: %d elements, want 3", n)
	}
}

func TestDecodeOrdered(t *testing.T) {
	v, err := jsonx.DecodeOrdered([]byte(`{"z":1,"a":[true,null],"z":2}`), 10)
	if err != nil {
		t.Fatal(err)
	}
	o := v.(*jsonx.Object)
	if !reflect.DeepEqual(o.Keys, []string{"z", "a"}) || o.Vals["z"] != json.Number("2") {
		t.Errorf("got keys %q, z=%v", o.Keys, o.Vals["z"])
	}
	if _, err := jsonx.DecodeOrdered([]byte(`[[[1]]]`), 2); !errors.Is(err, jsonx.ErrTooDeep) {
		t.Errorf("depth 3 with limit 2: %v, want ErrTooDeep", err)
	}
	if _, err := jsonx.DecodeOrdered([]byte(`{"a":1,}`), 10); !errors.Is(err, jsonx.ErrSyntax) {
		t.Errorf("trailing comma: %v, want ErrSyntax (strict)", err)
	}
}
