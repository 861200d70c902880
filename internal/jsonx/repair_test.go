package jsonx_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/connex-dev/connex/internal/jsonx"
)

func TestRepairRecovers(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  string // compact
		fixes jsonx.Fix
	}{
		{"strict", `{"a": [1, 2.5e3, -0, true, false, null], "b": "x\"y\u00e9"}`, `{"a":[1,2.5e3,-0,true,false,null],"b":"x\"y\u00e9"}`, 0},
		{"bom", "\ufeff{\"a\": 1}", `{"a":1}`, jsonx.FixBOM},
		{"trailing commas", `{"a": [1, 2, ], "b": {"c": 1,},}`, `{"a":[1,2],"b":{"c":1}}`, jsonx.FixTrailingComma},
		{"line comment", "{\"a\": 1, // one\n \"b\": 2}", `{"a":1,"b":2}`, jsonx.FixComment},
		{"block comment", "/* head */{\"a\": /* x */ 1}", `{"a":1}`, jsonx.FixComment},
		{"slash in string is not a comment", `{"u": "http://x/*y*/"}`, `{"u":"http://x/*y*/"}`, 0},
		{"latin1", "{\"a\": \"caf\xe9 \x96 ol\xe9\"}", `{"a":"café – olé"}`, jsonx.FixLatin1},
		{"utf8 kept beside latin1", "{\"a\": \"caf\xc3\xa9\", \"b\": \"\xe9\"}", `{"a":"café","b":"é"}`, jsonx.FixLatin1},
		{"raw tab and newline in string", "{\"a\": \"x\ty\nz\x01\"}", `{"a":"x\ty\nz\u0001"}`, jsonx.FixControlInString},
		{"em space", "{\u2003\"a\":\u00a01}", `{"a":1}`, jsonx.FixUnicodeSpace},
		{"missing comma between members", "{\"a\": 1\n \"b\": {\"c\": \"d\"\n \"e\": [1]}}", `{"a":1,"b":{"c":"d","e":[1]}}`, jsonx.FixMissingComma},
		{"top-level array", `[{"a":1},]`, `[{"a":1}]`, jsonx.FixTrailingComma},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, fixes, err := jsonx.Compact([]byte(tt.in))
			if err != nil {
				t.Fatalf("Compact: %v", err)
			}
			if string(got) != tt.want {
				t.Errorf("Compact = %s, want %s", got, tt.want)
			}
			if fixes != tt.fixes {
				t.Errorf("fixes = %v, want %v", fixes.Strings(), tt.fixes.Strings())
			}
			// Repair keeps the layout but must mean the same.
			kept, _, err := jsonx.Repair([]byte(tt.in))
			if err != nil {
				t.Fatalf("Repair: %v", err)
			}
			var a, b any
			if err := json.Unmarshal(kept, &a); err != nil {
				t.Fatalf("Repair output is not JSON: %v\n%s", err, kept)
			}
			_ = json.Unmarshal(got, &b)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("Repair and Compact disagree: %v vs %v", a, b)
			}
		})
	}
}

func TestRepairStrictInputIsShared(t *testing.T) {
	in := []byte("{\n  \"a\": 1\n}\n")
	out, fixes, err := jsonx.Repair(in)
	if err != nil || fixes != 0 || &out[0] != &in[0] {
		t.Fatalf("Repair of strict JSON should return the input: fixes %v err %v", fixes, err)
	}
}

// TestCompactInto: the cleaned text goes into the caller's buffer when it
// has room (len(data)+16), else into a new one; the text is Compact's.
func TestCompactInto(t *testing.T) {
	in := []byte("{\n  \"a\": [1, 2,],\n  \"b\": \"x\"\n}\n")
	want := `{"a":[1,2],"b":"x"}`
	buf := make([]byte, 3, len(in)+16)
	out, fixes, err := jsonx.CompactInto(buf, in)
	if err != nil || string(out) != want || fixes != jsonx.FixTrailingComma {
		t.Fatalf("CompactInto = %q, %v, %v; want %q, trailing commas", out, fixes, err, want)
	}
	if &out[0] != &buf[:1][0] {
		t.Error("CompactInto did not write into the buffer although it had room")
	}
	small := make([]byte, 0, len(in)+15)
	out, _, err = jsonx.CompactInto(small, in)
	if err != nil || string(out) != want {
		t.Fatalf("CompactInto (small buffer) = %q, %v", out, err)
	}
	if &out[:1][0] == &small[:1][0] {
		t.Error("CompactInto wrote into a buffer without the room it needs")
	}
}

func TestRepairErrors(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		line, col  int
		msgContain string
	}{
		{"empty", "  \n", 2, 1, "empty"},
		{"truncated object", "{\n  \"a\": {\n    \"b\": 1\n", 4, 1, "'{' opened at line 2, column 8 is never closed"},
		{"truncated string", "{\n  \"a\": \"abc", 2, 8, "string never closed"},
		{"stray closing brace", "{\n  \"a\": 1\n}\n}\n", 4, 1, "the \"}\" at line 3, column 1 closed it"},
		{"data after the document", "{\"a\": 1}\n\"b\": 2}", 2, 1, "after the end of the document"},
		{"unbalanced array", "{\"k\": [\n  \"a\",\n  \"b\"\n},\n\"x\": 1}", 4, 1, "expected ',' or ']' in the array opened at line 1, column 7"},
		{"missing closing brace then member", "{\"a\": {\"b\": 1,\n{\"c\": 2}}", 2, 1, "expected a quoted member name"},
		{"missing comma in array", `["a" "b"]`, 1, 6, "expected ',' or ']'"},
		{"string then string without colon", "{\"a\": \"x\" \"y\"}", 1, 11, "expected ',' or '}'"},
		{"bad literal", `{"a": tru}`, 1, 7, "expected a value"},
		{"bad number", `{"a": 1.}`, 1, 9, "malformed number"},
		{"single quotes", `{'a': 1}`, 1, 2, "expected a quoted member name"},
		{"bad escape", `{"a": "\q"}`, 1, 8, "invalid escape"},
		{"unclosed comment", "{\"a\": 1 /* x", 1, 9, "comment never closed"},
		{"column counts characters", "{\"é\": 1 x}", 1, 9, "expected ',' or '}'"},
		{"em space column", "{\u2003\u2003x}", 1, 4, "expected a quoted member name"},
		{"latin1 column", "{\"\xe9\": ?}", 1, 7, "expected a value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := jsonx.Compact([]byte(tt.in))
			var se *jsonx.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want a *SyntaxError", err)
			}
			if !errors.Is(err, jsonx.ErrSyntax) {
				t.Errorf("errors.Is(err, ErrSyntax) = false")
			}
			if se.Line != tt.line || se.Column != tt.col {
				t.Errorf("at %d:%d, want %d:%d (%s)", se.Line, se.Column, tt.line, tt.col, se.Msg)
			}
			if !strings.Contains(se.Msg, tt.msgContain) {
				t.Errorf("message %q does not contain %q", se.Msg, tt.msgContain)
			}
		})
	}
}

func TestRepairDepthLimit(t *testing.T) {
	deep := strings.Repeat("[", jsonx.MaxDepth+10) + strings.Repeat("]", jsonx.MaxDepth+10)
	if _, _, err := jsonx.Compact([]byte(deep)); err == nil || !strings.Contains(err.Error(), "nesting deeper") {
		t.Fatalf("err = %v, want a nesting error", err)
	}
	ok := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	if _, _, err := jsonx.Compact([]byte(ok)); err != nil {
		t.Fatalf("100 levels: %v", err)
	}
}

// FuzzCompact: never panics, and whatever it accepts is valid JSON that
// it accepts again unchanged.
func FuzzCompact(f *testing.F) {
	// The fixtures' heads: whole files as seeds stall the Go fuzzer's
	// mutator for minutes on this machine (the target itself stays fast
	// on them), and the heads hold every defect the fixtures show.
	seeds, _ := filepath.Glob("../testdata/defs/*/*/*.json")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b[:min(len(b), 400)])
		}
	}
	for _, s := range []string{`{"a":1,}`, "\ufeff[1 ,2]", "{\"a\":\"\t\"\n\"b\":2}", "/*", "{\u2003}", "\xff\xfe", `"\u12`, "[" + strings.Repeat("{\"a\":[", 50)} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, _, err := jsonx.Compact(in)
		if err != nil {
			var se *jsonx.SyntaxError
			if !errors.As(err, &se) || se.Line < 1 || se.Column < 1 {
				t.Fatalf("error without a location: %v", err)
			}
			return
		}
		if !json.Valid(out) {
			t.Fatalf("accepted %q but produced invalid JSON %q", in, out)
		}
		again, fixes, err := jsonx.Compact(out)
		if err != nil || fixes != 0 || string(again) != string(out) {
			t.Fatalf("output not stable: %q -> %q (%v, %v)", out, again, fixes, err)
		}
	})
}

// BenchmarkCompact measures throughput on a 10 MB document with a
// defect every few members (trailing commas, comments, raw tabs).
func BenchmarkCompact(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("{\n")
	for i := 0; sb.Len() < 10<<20; i++ {
		fmt.Fprintf(&sb, "  \"k%d\": {\"description\": \"tab\there\", \"items\": [1, 2.5, true, null, ], // note\n \"x\": \"\\u00e9\\n\"},\n", i)
	}
	sb.WriteString("  \"end\": 0\n}\n")
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := jsonx.Compact(data); err != nil {
			b.Fatal(err)
		}
	}
}
