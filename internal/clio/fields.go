package clio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"

	"github.com/itchyny/gojq"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// allFields is the value --json takes when given alone.
const allFields = "*"

// fieldsAnnotation marks a --json flag with its field names, so
// NormalizeArgs can tell `--json id,name` (fields) from a positional.
const fieldsAnnotation = "clio_json_fields"

// JSONFlags are --json [FIELDS] and --jq EXPR, as gh has them: plain
// --json prints the command's full JSON, --json a,b keeps those fields of
// each record, --jq filters the JSON with a jq expression (gojq).
type JSONFlags struct {
	fields    []string // nil: all
	set       bool
	jq        string
	available []string
	// records is the key holding the records fields apply to ("hits"),
	// "" for the top-level value (an array's elements, or the object).
	records string
}

type fieldsValue struct{ f *JSONFlags }

func (v fieldsValue) String() string { return strings.Join(v.f.fields, ",") }
func (v fieldsValue) Type() string   { return "fields" }
func (v fieldsValue) Set(s string) error {
	v.f.set = true
	if s == allFields || s == "" {
		v.f.fields = nil
		return nil
	}
	v.f.fields = nil
	for _, name := range strings.Split(s, ",") {
		if name = strings.TrimSpace(name); name != "" {
			v.f.fields = append(v.f.fields, name)
		}
	}
	return nil
}

// AddJSONFlags adds --json and --jq to cmd. available lists the field
// names a record has (FieldsOf gives a struct's); records names the key of
// the output object that holds the records ("" when the output is the
// record, or an array of them). what describes the full output for the
// help text.
func AddJSONFlags(cmd *cobra.Command, available []string, records, what string) *JSONFlags {
	f := &JSONFlags{available: available, records: records}
	fl := cmd.Flags()
	fl.Var(fieldsValue{f}, "json", "print JSON: "+what+"; --json FIELD,... keeps these fields of each record: "+strings.Join(available, ", "))
	flag := fl.Lookup("json")
	flag.NoOptDefVal = allFields
	flag.Annotations = map[string][]string{fieldsAnnotation: available}
	fl.StringVar(&f.jq, "jq", "", "filter the JSON with a jq expression (implies --json; strings print raw)")
	return f
}

// Enabled reports whether JSON output was asked for (--json or --jq).
func (f *JSONFlags) Enabled() bool { return f.set || f.jq != "" }

// Validate checks the field names and compiles nothing yet; call it
// before doing the command's work, so a typo costs nothing.
func (f *JSONFlags) Validate() error {
	for _, name := range f.fields {
		if !slices.Contains(f.available, name) {
			return fmt.Errorf("unknown JSON field %q; available fields: %s", name, strings.Join(f.available, ", "))
		}
	}
	if f.jq != "" {
		if _, err := compileJQ(f.jq); err != nil {
			return err
		}
	}
	return nil
}

// compileJQ parses and compiles a jq expression (an unknown function is
// found here, before the command's work).
func compileJQ(expr string) (*gojq.Code, error) {
	q, err := gojq.Parse(expr)
	if err != nil {
		return nil, fmt.Errorf("--jq %q: %w", expr, err)
	}
	code, err := gojq.Compile(q)
	if err != nil {
		return nil, fmt.Errorf("--jq %q: %w", expr, err)
	}
	return code, nil
}

// Write prints v as the flags ask: the full JSON, the chosen fields of
// each record, or the results of the jq expression, one per line.
func (f *JSONFlags) Write(w io.Writer, v any) error {
	if err := f.Validate(); err != nil {
		return err
	}
	if f.fields == nil && f.jq == "" {
		return WriteJSON(w, v)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	doc, err := decodeOrdered(dec)
	if err != nil {
		return err
	}
	if f.fields != nil {
		doc = f.selectFields(doc)
	}
	if f.jq == "" {
		return WriteJSON(w, doc)
	}
	return runJQ(w, f.jq, plain(doc))
}

// selectFields keeps the chosen fields of each record, in the order asked
// (a field a record lacks is null, so every record has the same keys).
func (f *JSONFlags) selectFields(doc any) any {
	pick := func(rec any) any {
		obj, ok := rec.(*object)
		if !ok {
			return rec
		}
		out := &object{vals: map[string]any{}}
		for _, name := range f.fields {
			out.keys = append(out.keys, name)
			out.vals[name] = obj.vals[name]
		}
		return out
	}
	pickAll := func(v any) any {
		if arr, ok := v.([]any); ok {
			for i := range arr {
				arr[i] = pick(arr[i])
			}
			return arr
		}
		return pick(v)
	}
	if f.records == "" {
		return pickAll(doc)
	}
	if obj, ok := doc.(*object); ok {
		obj.vals[f.records] = pickAll(obj.vals[f.records])
	}
	return doc
}

func runJQ(w io.Writer, expr string, input any) error {
	code, err := compileJQ(expr)
	if err != nil {
		return err
	}
	iter := code.Run(input)
	for {
		v, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, ok := v.(error); ok {
			var halt *gojq.HaltError
			if errors.As(err, &halt) && halt.Value() == nil {
				return nil
			}
			return fmt.Errorf("--jq %q: %w", expr, err)
		}
		var line []byte
		if s, ok := v.(string); ok {
			// Raw, as jq -r and gh --jq print strings; a terminal still
			// gets it through the sanitiser.
			line = []byte(s)
		} else {
			b, err := gojq.Marshal(v)
			if err != nil {
				return fmt.Errorf("--jq %q: %w", expr, err)
			}
			line = EscapeJSON(b)
		}
		if _, err := w.Write(append(line, '\n')); err != nil {
			return err
		}
	}
}

// object is a JSON object that keeps its key order, so selected fields
// print in the order the struct (or the user) gave them.
type object struct {
	keys []string
	vals map[string]any
}

func (o *object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, k := range o.keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		vb, err := json.Marshal(o.vals[k])
		if err != nil {
			return nil, err
		}
		buf.Write(vb)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// decodeOrdered decodes one JSON value, objects as *object.
func decodeOrdered(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := &object{vals: map[string]any{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				if _, dup := obj.vals[k]; !dup {
					obj.keys = append(obj.keys, k)
				}
				obj.vals[k] = v
			}
			_, err := dec.Token()
			return obj, err
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeOrdered(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token()
			return arr, err
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return tok, nil
	}
}

// plain turns ordered objects into maps, the form gojq works on.
func plain(v any) any {
	switch t := v.(type) {
	case *object:
		m := make(map[string]any, len(t.vals))
		for k, val := range t.vals {
			m[k] = plain(val)
		}
		return m
	case []any:
		for i := range t {
			t[i] = plain(t[i])
		}
		return t
	}
	return v
}

// FieldsOf lists the JSON names of a struct's fields (embedded structs'
// fields included), in declaration order: the --json field names of a
// record type. Pass a value or a pointer.
func FieldsOf(v any) []string {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	seen := map[string]bool{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			sf := t.Field(i)
			tag := sf.Tag.Get("json")
			name, _, _ := strings.Cut(tag, ",")
			if name == "-" {
				continue
			}
			if sf.Anonymous && name == "" {
				ft := sf.Type
				if ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if ft.Kind() == reflect.Struct {
					walk(ft)
					continue
				}
			}
			if !sf.IsExported() {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			if !seen[name] {
				seen[name] = true
				out = append(out, name)
			}
		}
	}
	walk(t)
	return out
}

// NormalizeArgs lets `--json id,name` take its field list as a value:
// --json may also stand alone (all fields), so pflag would read the list
// as a positional argument. An argument after --json that is a
// comma-separated list of the command's field names becomes
// --json=LIST; anything else is left alone (use --json=LIST to be
// explicit).
func NormalizeArgs(root *cobra.Command, args []string) []string {
	cmd, _, err := root.Find(args)
	if err != nil || cmd == nil {
		return args
	}
	flag := cmd.Flags().Lookup("json")
	if flag == nil || flag.Annotations == nil {
		return args
	}
	known := flag.Annotations[fieldsAnnotation]
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		if a == "--json" && i+1 < len(args) && isFieldList(args[i+1], known) {
			out = append(out, "--json="+args[i+1])
			i++
			continue
		}
		out = append(out, a)
	}
	return out
}

// isFieldList reports a list of known fields, or any comma-separated
// list of words (so a typo in it gets "unknown JSON field", not a
// confusing complaint about arguments).
func isFieldList(s string, known []string) bool {
	if s == "" || strings.HasPrefix(s, "-") {
		return false
	}
	names := strings.Split(s, ",")
	allKnown, allWords := true, true
	for _, name := range names {
		if !slices.Contains(known, name) {
			allKnown = false
		}
		if !isWord(name) {
			allWords = false
		}
	}
	return allKnown || (len(names) > 1 && allWords)
}

func isWord(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c == '_' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

var _ pflag.Value = fieldsValue{}
