package catalog

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func savedSample(t *testing.T) (string, *Catalog) {
	t.Helper()
	path := filepath.Join(t.TempDir(), SnapshotFile)
	c := Sample()
	if err := Save(path, c); err != nil {
		t.Fatal(err)
	}
	return path, c
}

func TestOpenGivesRandomAccess(t *testing.T) {
	path, want := savedSample(t)
	want.Reindex()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Version() != SnapshotVersion || s.Checksum() == 0 || !s.Sample() || !s.UpdatedAt().Equal(want.UpdatedAt) {
		t.Fatalf("version %d checksum %x sample %v updated %v", s.Version(), s.Checksum(), s.Sample(), s.UpdatedAt())
	}
	var ids []string
	for i := 0; i < s.Len(); i++ {
		ids = append(ids, s.ID(i))
	}
	if got := strings.Join(ids, ","); got != "sampleorders,sampletasks,sampleweather" {
		t.Fatalf("ids %s", got)
	}
	for i, conn := range want.Connectors {
		if got := s.Summary(i); !reflect.DeepEqual(got, SummaryOf(conn)) {
			t.Errorf("summary %d = %+v, want %+v", i, got, SummaryOf(conn))
		}
	}
	i, ok := s.Lookup("SampleTasks")
	if !ok || s.ID(i) != "sampletasks" {
		t.Fatalf("Lookup(SampleTasks) = %d, %v", i, ok)
	}
	if _, ok := s.Lookup("nosuch"); ok {
		t.Fatal("Lookup(nosuch) found something")
	}
	conn, err := s.Connector(i)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(conn, want.Connectors[1]) {
		t.Fatal("sampletasks differs after a round trip")
	}
	if again, _ := s.Connector(i); again != conn {
		t.Fatal("a second Connector call decoded again")
	}
	// Only the connector asked for was decoded.
	for j := 0; j < s.Len(); j++ {
		if got := s.decoded[j].Load() != nil; got != (j == i) {
			t.Errorf("connector %d decoded = %v", j, got)
		}
	}
	got, err := s.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Connectors, want.Connectors) {
		t.Fatal("Catalog() differs from the saved catalogue")
	}
	if c, _ := got.Connector("sampletasks"); c != conn {
		t.Fatal("Catalog() decoded sampletasks again instead of sharing it")
	}
	if err := s.Verify(); err != nil {
		t.Fatal(err)
	}
}

func TestSummaryCounts(t *testing.T) {
	c := Sample()
	s := SnapshotOf(c)
	total := 0
	for i := 0; i < s.Len(); i++ {
		sum := s.Summary(i)
		total += sum.Actions + sum.Triggers
	}
	if st := c.Stats(); total != st.Operations {
		t.Fatalf("summaries count %d operations, stats %d", total, st.Operations)
	}
	sum := s.Summary(0)
	if sum.ID != "sampleorders" || len(sum.Products) != 4 || sum.DocsURL != "" {
		t.Fatalf("sampleorders summary %+v", sum)
	}
}

func TestConcurrentConnector(t *testing.T) {
	path, _ := savedSample(t)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	got := make([]*Connector, 8)
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[g], _ = s.Connector(1)
		}()
	}
	wg.Wait()
	for _, c := range got {
		if c == nil || c != got[0] {
			t.Fatal("concurrent Connector calls returned different records")
		}
	}
}

// recordStart is where the connector records begin in a saved snapshot.
func recordStart(t *testing.T, data []byte) int {
	t.Helper()
	s, err := parseSnapshot(data)
	if err != nil {
		t.Fatal(err)
	}
	return headerSize + len(s.toc)
}

func TestDamagedRecord(t *testing.T) {
	path, _ := savedSample(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The first record starts with its id, "samplecrm": change a letter.
	at := recordStart(t, data) + 1
	if string(data[at:at+12]) != "sampleorders" {
		t.Fatalf("first record starts with %q", data[at:at+12])
	}
	data[at] = 'X'
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err) // the table of contents is intact
	}
	if _, err := s.Connector(0); !errors.Is(err, ErrCorruptSnapshot) {
		t.Fatalf("damaged record: %v, want ErrCorruptSnapshot", err)
	}
	if _, err := s.Connector(1); err != nil {
		t.Fatalf("intact record: %v", err)
	}
	if _, err := Load(path); !errors.Is(err, ErrCorruptSnapshot) {
		t.Fatalf("Load of a damaged record: %v, want ErrCorruptSnapshot", err)
	}
	if err := s.Verify(); !errors.Is(err, ErrCorruptSnapshot) {
		t.Fatalf("Verify: %v, want ErrCorruptSnapshot", err)
	}
}

func TestVerifyFindsFlippedSchemaByte(t *testing.T) {
	path, _ := savedSample(t)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The last byte is in the blob section (raw schemas): nothing decodes
	// it, only the checksum can tell.
	data[len(data)-1] ^= 0x20
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Verify(); !errors.Is(err, ErrCorruptSnapshot) || !strings.Contains(err.Error(), "checksum") {
		t.Fatalf("Verify: %v, want a checksum mismatch", err)
	}
}

func TestFormat2IsReadAndBackedUp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, SnapshotFile)
	old := encodeCatalogV2(Sample())
	if err := os.WriteFile(path, old, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if st := c.Stats(); st.Connectors != 3 || st.Operations != 12 {
		t.Fatalf("format 2 stats %+v", st)
	}
	backup, err := BackupBeforeMigrate(path)
	if err != nil || backup != path+".v2.bak" {
		t.Fatalf("backup %q, %v", backup, err)
	}
	if got, _ := os.ReadFile(backup); !reflect.DeepEqual(got, old) {
		t.Fatal("backup differs from the format 2 file")
	}
	if err := Save(path, c); err != nil {
		t.Fatal(err)
	}
	if v, _ := SnapshotVersionOf(path); v != SnapshotVersion {
		t.Fatalf("rewritten as format %d", v)
	}
}

func TestFormat1IsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), SnapshotFile)
	data := encodeCatalogV2(Sample())
	data[11] = 1
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); !errors.Is(err, ErrCorruptSnapshot) || !strings.Contains(err.Error(), "format 1 was written by an early connex and is no longer read") {
		t.Fatalf("format 1: %v", err)
	}
}

// TestSaveStoresEachRawValueOnce: raw schemas repeated across operations
// and connectors take their bytes once in the blob section, and each
// reads back whole after a load.
func TestSaveStoresEachRawValueOnce(t *testing.T) {
	shared := `{"type":"object","properties":{"To":{"type":"string"}}}`
	other := `{"type":"string"}`
	op := func(id, body string) *Operation {
		return &Operation{ID: id, Name: id, Kind: KindAction, Method: "POST", Path: "/" + id,
			Body:      json.RawMessage(body),
			Responses: []Response{{Status: "200", Schema: json.RawMessage(body)}}}
	}
	c := &Catalog{Connectors: []*Connector{
		{ID: "a", Name: "A", Operations: []*Operation{op("One", shared), op("Two", shared)},
			Definitions: map[string]json.RawMessage{"Mail": json.RawMessage(shared)}},
		{ID: "b", Name: "B", Operations: []*Operation{op("Three", shared), op("Four", other)}},
	}}
	path := filepath.Join(t.TempDir(), SnapshotFile)
	if err := Save(path, c); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := binary.BigEndian.Uint64(data[24:]), uint64(len(shared)+len(other)); got != want {
		t.Fatalf("blob section %d bytes, want %d (each distinct value once)", got, want)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Verify(); err != nil {
		t.Fatal(err)
	}
	got, err := s.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	c.Reindex()
	if !reflect.DeepEqual(got.Connectors, c.Connectors) {
		t.Fatal("the catalogue differs after a round trip")
	}
}
