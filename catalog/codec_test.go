package catalog

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fill sets every exported field of v (recursively) to a distinct non-zero
// value, so that a field the codec forgets shows up as a difference.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", *n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		if v.Type() == reflect.TypeOf(time.Duration(0)) {
			v.SetInt(int64(*n) * int64(time.Second))
		} else {
			v.SetInt(int64(*n))
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Slice:
		if v.Type() == reflect.TypeOf(json.RawMessage(nil)) {
			v.SetBytes([]byte(fmt.Sprintf(`{"n":%d}`, *n)))
			return
		}
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := 0; i < 2; i++ {
			fill(s.Index(i), n)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for i := 0; i < 2; i++ {
			k := reflect.New(v.Type().Key()).Elem()
			fill(k, n)
			e := reflect.New(v.Type().Elem()).Elem()
			fill(e, n)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeOf(time.Time{}) {
			v.Set(reflect.ValueOf(time.Date(2026, 1, 2, 3, 4, 5, *n, time.UTC)))
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	default:
		panic("fill: add a case for " + v.Kind().String())
	}
}

func TestCodecCoversEveryField(t *testing.T) {
	var want Catalog
	n := 0
	fill(reflect.ValueOf(&want).Elem(), &n)
	path := filepath.Join(t.TempDir(), SnapshotFile)
	if err := Save(path, &want); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	want.Reindex() // Load sorts connectors by id
	got.byID, want.byID = nil, nil
	if !reflect.DeepEqual(got, &want) {
		gj, _ := json.MarshalIndent(got, "", " ")
		wj, _ := json.MarshalIndent(&want, "", " ")
		t.Fatalf("round trip lost fields (a model field is missing from codec.go)\n got: %s\nwant: %s", gj, wj)
	}
}

func FuzzLoad(f *testing.F) {
	dir := f.TempDir()
	path := filepath.Join(dir, "seed.snap")
	if err := Save(path, Sample()); err != nil {
		f.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Fuzz(func(t *testing.T, snap []byte) {
		p := filepath.Join(t.TempDir(), SnapshotFile)
		if err := os.WriteFile(p, snap, 0o644); err != nil {
			t.Fatal(err)
		}
		Load(p) // must not panic or allocate without bound
	})
}

// TestSaveStoresEachSchemaOnce: equal raw values (an operation's body and
// its body parameter's schema, a schema repeated across operations) take
// one place in the blob section, and every field still loads its own.
func TestSaveStoresEachSchemaOnce(t *testing.T) {
	schema := `{"type":"object","properties":{"to":{"type":"string"}}}`
	op := func(id string) *Operation {
		// Separate copies of the same text: equal content, not shared memory.
		return &Operation{ID: id, Body: json.RawMessage(schema),
			Parameters: []Parameter{{Key: "body", In: "body", Schema: json.RawMessage([]byte(schema))}},
			Responses:  []Response{{Status: "200", Schema: json.RawMessage(`{"type":"string"}`)}}}
	}
	c := &Catalog{Connectors: []*Connector{{ID: "mail", Operations: []*Operation{op("Send"), op("Reply")},
		Definitions: map[string]json.RawMessage{"Msg": json.RawMessage(schema), "Id": json.RawMessage(`{"type":"string"}`)}}}}
	path := filepath.Join(t.TempDir(), SnapshotFile)
	if err := Save(path, c); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := binary.BigEndian.Uint64(data[24:]), uint64(len(schema)+len(`{"type":"string"}`)); got != want {
		t.Errorf("blob section holds %d bytes, want %d (each distinct schema once)", got, want)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	c.Reindex()
	got.byID, c.byID = nil, nil
	if !reflect.DeepEqual(got, c) {
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(c)
		t.Fatalf("round trip changed the catalogue\n got: %s\nwant: %s", gj, wj)
	}
}

// TestSaveLargeCatalogueRoundTrip: a structure larger than the encoder's
// flush threshold (written to the file in pieces while it is encoded)
// loads back whole, with the header's lengths right.
func TestSaveLargeCatalogueRoundTrip(t *testing.T) {
	c := &Catalog{}
	for i := range 3000 {
		c.Connectors = append(c.Connectors, &Connector{
			ID: fmt.Sprintf("c%04d", i), Name: fmt.Sprintf("Connector %d", i),
			Description: strings.Repeat("words of a long description ", 8),
			Operations:  []*Operation{{ID: "Op", Body: json.RawMessage(fmt.Sprintf(`{"n":%d}`, i%7))}},
		})
	}
	path := filepath.Join(t.TempDir(), SnapshotFile)
	if err := Save(path, c); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Size() < 2*(256<<10) {
		t.Fatalf("snapshot %v, %v: smaller than the flush threshold, the test tests nothing", st, err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	c.Reindex()
	got.byID, c.byID = nil, nil
	if !reflect.DeepEqual(got, c) {
		t.Fatal("the large catalogue does not load back as it was saved")
	}
}
