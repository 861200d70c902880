package catalog

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
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

// encodeCatalogV2 writes a format-2 snapshot (what connex wrote before the
// table of contents), to test that it is still read.
func encodeCatalogV2(c *Catalog) []byte {
	e := encoder{buf: make([]byte, headerSize), version: 2}
	codeCatalogV2(&e, c)
	copy(e.buf, magic[:])
	binary.BigEndian.PutUint32(e.buf[8:], 2)
	binary.BigEndian.PutUint64(e.buf[16:], uint64(len(e.buf)-headerSize))
	binary.BigEndian.PutUint64(e.buf[24:], e.blobLen)
	return append(e.buf, bytes.Join(e.blobs, nil)...)
}

func filledCatalog() *Catalog {
	var c Catalog
	n := 0
	fill(reflect.ValueOf(&c).Elem(), &n)
	return &c
}

func TestCodecV2CoversEveryField(t *testing.T) {
	want := filledCatalog()
	path := filepath.Join(t.TempDir(), SnapshotFile)
	if err := os.WriteFile(path, encodeCatalogV2(want), 0o644); err != nil {
		t.Fatal(err)
	}
	// Format 2 had no Operation.From, nor a parameter's URL encoding.
	for _, conn := range want.Connectors {
		for _, op := range conn.Operations {
			op.From = nil
			for i := range op.Parameters {
				op.Parameters[i].URLEncoding = ""
			}
		}
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Version() != 2 || s.Checksum() != 0 {
		t.Fatalf("version %d checksum %x, want 2 and 0", s.Version(), s.Checksum())
	}
	got, err := s.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	want.Reindex()
	if !reflect.DeepEqual(got.Connectors, want.Connectors) || !reflect.DeepEqual(got.Origins, want.Origins) ||
		got.Sample != want.Sample || !got.UpdatedAt.Equal(want.UpdatedAt) {
		t.Fatal("format 2 round trip lost fields")
	}
}

// A format 3 snapshot (before a parameter's URL encoding) is still read,
// every field but that one kept, and is backed up before it is rewritten.
func TestCodecV3StillRead(t *testing.T) {
	want := filledCatalog()
	path := filepath.Join(t.TempDir(), SnapshotFile)
	if err := save(path, want, 3); err != nil {
		t.Fatal(err)
	}
	for _, conn := range want.Connectors {
		for _, op := range conn.Operations {
			for i := range op.Parameters {
				op.Parameters[i].URLEncoding = ""
			}
		}
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Version() != 3 {
		t.Fatalf("version %d, want 3", s.Version())
	}
	got, err := s.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	want.Reindex()
	if !reflect.DeepEqual(got.Connectors, want.Connectors) || !reflect.DeepEqual(got.Origins, want.Origins) {
		t.Fatal("format 3 round trip lost fields")
	}
	backup, err := BackupBeforeMigrate(path)
	if err != nil || backup != path+".v3.bak" {
		t.Fatalf("backup %q, %v; want %s.v3.bak", backup, err, path)
	}
}

func TestMinimumEncodedSizes(t *testing.T) {
	size := func(f func(e *encoder)) int {
		var e encoder
		f(&e)
		return len(e.buf)
	}
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"connector", size(func(e *encoder) { codeConnector(e, &Connector{}) }), minConnectorBytes},
		{"operation", size(func(e *encoder) { codeOperation(e, &Operation{}) }), minOperationBytes},
		{"parameter", size(func(e *encoder) {
			codeOperation(e, &Operation{Parameters: []Parameter{{}}})
		}) - size(func(e *encoder) { codeOperation(e, &Operation{}) }), minParameterBytes},
		{"summary", size(func(e *encoder) { codeSummary(e, &Summary{}); e.uvarint(0) }), minSummaryBytes},
	} {
		if c.got != c.want {
			t.Errorf("smallest %s encoding is %d bytes, the constant says %d", c.name, c.got, c.want)
		}
	}
}

func FuzzOpen(f *testing.F) {
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
	f.Add(encodeCatalogV2(Sample()))
	f.Fuzz(func(t *testing.T, snap []byte) {
		s, err := parseSnapshot(snap)
		if err != nil {
			if !errors.Is(err, ErrCorruptSnapshot) && !errors.Is(err, ErrNewerVersion) {
				t.Fatalf("error %v is neither corrupt nor newer", err)
			}
			return
		}
		// Every accessor must survive whatever the table says.
		for i := 0; i < s.Len(); i++ {
			_ = s.Summary(i)
			if j, ok := s.Lookup(s.ID(i)); !ok || s.ID(j) != s.ID(i) {
				t.Fatalf("Lookup(%q) = %d, %v", s.ID(i), j, ok)
			}
			if _, err := s.Connector(i); err != nil && !errors.Is(err, ErrCorruptSnapshot) {
				t.Fatalf("connector %d: %v", i, err)
			}
		}
		_ = s.Verify()
	})
}
