package schema

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestFieldsFlattensInOrder(t *testing.T) {
	t.Parallel()
	defs := map[string]json.RawMessage{
		"Msg": json.RawMessage(`{"type":"object","required":["To","Parts"],"properties":{
			"To":{"type":"string","format":"email","x-ms-summary":"Recipient","description":"Who gets it"},
			"Parts":{"type":"array","items":{"$ref":"#/definitions/Part"}},
			"Kind":{"type":"string","enum":["a",2],"x-ms-visibility":"advanced"},
			"Id":{"type":"string","readOnly":true}}}`),
		"Part": json.RawMessage(`{"type":"object","required":["Name"],"properties":{"Name":{"type":"string"},"Next":{"$ref":"#/definitions/Part"}}}`),
	}
	s, err := NewResolver(defs).Parse(json.RawMessage(`{"$ref":"#/definitions/Msg"}`), 0)
	if err != nil {
		t.Fatal(err)
	}
	got, more := Fields(s, 0, 0)
	want := []Field{
		{Path: "To", Name: "Recipient", Type: "string (email)", Required: true, Description: "Who gets it"},
		{Path: "Parts", Type: "array of Part", Required: true},
		{Path: "Parts[].Name", Type: "string", Required: true},
		{Path: "Parts[].Next", Type: "Part"},
		{Path: "Kind", Type: "string", Visibility: "advanced", Enum: []string{"a", "2"}},
		{Path: "Id", Type: "string", ReadOnly: true},
	}
	if more || !reflect.DeepEqual(got, want) {
		t.Errorf("Fields = %+v, more %v\nwant %+v", got, more, want)
	}
}

// TestFieldsBounded: a wide or deep (hostile) schema is cut at the limits
// and says so.
func TestFieldsBounded(t *testing.T) {
	t.Parallel()
	var props []string
	for i := range 500 {
		props = append(props, `"f`+strings.Repeat("x", i%7)+string(rune('a'+i%26))+`_`+strconv.Itoa(i)+`":{"type":"string"}`)
	}
	wide := MustParse(`{"type":"object","properties":{` + strings.Join(props, ",") + `}}`)
	if got, more := Fields(wide, 0, 0); len(got) != FieldsMax || !more {
		t.Errorf("wide: %d fields, more %v; want %d, true", len(got), more, FieldsMax)
	}
	deep := `{"type":"string"}`
	for range 10 {
		deep = `{"type":"object","properties":{"d":` + deep + `}}`
	}
	got, more := Fields(MustParse(deep), 0, 0)
	if len(got) != FieldsMaxDepth || got[len(got)-1].Path != "d.d.d.d" || !more {
		t.Errorf("deep: %+v, more %v", got, more)
	}
	if got, more := Fields(MustParse(`{"type":"string"}`), 0, 0); got != nil || more {
		t.Errorf("string: %+v %v", got, more)
	}
	if got, _ := Fields(nil, 0, 0); got != nil {
		t.Errorf("nil: %+v", got)
	}
}

func TestEnumText(t *testing.T) {
	t.Parallel()
	s := MustParse(`{"enum":["a<b",2,1.50,true,null,{"k":"<v>","a":[1]},""]}`)
	var got []string
	for _, v := range s.Enum {
		got = append(got, EnumText(v))
	}
	want := []string{"a<b", "2", "1.50", "true", "null", `{"a":[1],"k":"<v>"}`, ""}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("EnumText = %q, want %q", got, want)
	}
}
