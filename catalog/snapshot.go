package catalog

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/connex-dev/connex/internal/atomicfile"
)

// SnapshotVersion is the format version written by this build. Bump it when
// the model changes incompatibly; Load refuses newer versions untouched and
// BackupBeforeMigrate keeps a copy of older ones before they are rewritten.
//
// Format 3 puts a table of contents before the connector records (one
// summary and the record's length per connector, sorted by id), so that a
// command reads the one connector it shows, and a search the summaries and
// its hits, instead of decoding the whole catalogue. Format 2 (the same
// records, without the table) is still read, by decoding everything.
// Format 4 adds a parameter's URL encoding (x-ms-url-encoding); format 3
// is read with none (single), until the next import or refresh.
const SnapshotVersion uint32 = 4

// SnapshotFile is the snapshot's file name inside the data folder.
const SnapshotFile = "catalog.snap"

// headerSize: magic, version, checksum, structure length, blob section
// length. The checksum (format 3; zero before) is the CRC-32C of
// everything after the header. It identifies the content (the CLI pairs it
// with the search index built from it) and lets Verify check a copy; it is
// not checked at each open, which would read the whole file: snapshots are
// only ever replaced by rename, so a torn write cannot happen, and the
// lengths catch a truncated copy.
const headerSize = 8 + 4 + 4 + 8 + 8

// magic starts every snapshot so a stray file is never mistaken for one.
var magic = [8]byte{'C', 'O', 'N', 'N', 'E', 'X', 0, 1}

// castagnoli is the checksum's table, made at the first checksum rather
// than at package init (its SSE4.2 tables cost every process, --version
// included); crc32 builds it once.
func castagnoli() *crc32.Table { return crc32.MakeTable(crc32.Castagnoli) }

// Summary is what the table of contents of a snapshot keeps of a
// connector: what a list of results, its filters and facets need, readable
// without decoding the connector.
type Summary struct {
	ID            string
	Name          string
	Publisher     string
	PublisherKind PublisherKind
	Tier          Tier
	Preview       bool
	Deprecated    bool
	Products      []string // product names, as in Connector.Products
	Actions       int
	Triggers      int
	DocsURL       string // Connector.DocumentationURL()
}

// SummaryOf computes a connector's summary.
func SummaryOf(c *Connector) Summary {
	s := Summary{ID: c.ID, Name: c.Name, Publisher: c.Publisher, PublisherKind: c.PublisherKind,
		Tier: c.Tier, Preview: c.Preview, Deprecated: c.Deprecated, DocsURL: c.DocumentationURL()}
	if len(c.Products) > 0 {
		s.Products = make([]string, len(c.Products))
		for i, p := range c.Products {
			s.Products[i] = p.Name
		}
	}
	for _, op := range c.Operations {
		if op == nil {
			continue
		}
		if op.Kind == KindTrigger {
			s.Triggers++
		} else {
			s.Actions++
		}
	}
	return s
}

// Save writes the catalogue to path atomically: a temporary file in the same
// folder, synced, then renamed over the old one. A crash leaves either the
// old snapshot or the new one, never a mix.
func Save(path string, c *Catalog) error { return save(path, c, 0) }

// save is Save in the given format (0: SnapshotVersion; tests write
// format 3, which has the same layout, to check it is still read).
func save(path string, c *Catalog, version uint32) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("save catalogue: %w", err)
	}
	conns := make([]*Connector, 0, len(c.Connectors))
	for _, conn := range c.Connectors {
		if conn != nil {
			conns = append(conns, conn)
		}
	}
	// Sorted by id, so Lookup is a binary search; stable, so a snapshot's
	// bytes depend only on its content.
	slices.SortStableFunc(conns, func(a, b *Connector) int { return strings.Compare(a.ID, b.ID) })

	// Records are encoded one at a time into a scratch buffer and kept in
	// chunks of about recChunk bytes: one growing buffer for all of them
	// allocated twice their size in copies, at the import's peak.
	const recChunk = 1 << 20
	rec := encoder{buf: make([]byte, 0, 64<<10), version: version}
	var chunks [][]byte
	recLen := 0
	lens := make([]int, len(conns))
	for i, conn := range conns {
		rec.buf = rec.buf[:0]
		codeConnector(&rec, conn)
		lens[i] = len(rec.buf)
		recLen += len(rec.buf)
		if n := len(chunks); n == 0 || len(chunks[n-1])+len(rec.buf) > cap(chunks[n-1]) {
			chunks = append(chunks, make([]byte, 0, max(recChunk, len(rec.buf))))
		}
		chunks[len(chunks)-1] = append(chunks[len(chunks)-1], rec.buf...)
	}
	toc := encoder{buf: make([]byte, headerSize, headerSize+64<<10)}
	toc.uvarint(uint64(len(conns)))
	codeOrigins(&toc, &c.Origins)
	toc.bool(&c.Sample)
	toc.time(&c.UpdatedAt)
	for i, conn := range conns {
		s := SummaryOf(conn)
		codeSummary(&toc, &s)
		toc.uvarint(uint64(lens[i]))
	}
	head := toc.buf
	copy(head, magic[:])
	binary.BigEndian.PutUint32(head[8:], rec.format())
	sum := crc32.Update(0, castagnoli(), head[headerSize:])
	parts := slices.Concat([][]byte{head}, chunks, rec.blobs)
	for _, p := range parts[1:] {
		sum = crc32.Update(sum, castagnoli(), p)
	}
	binary.BigEndian.PutUint32(head[12:], sum)
	binary.BigEndian.PutUint64(head[16:], uint64(len(head)-headerSize+recLen))
	binary.BigEndian.PutUint64(head[24:], rec.blobLen)
	// Written in parts, the blobs from the catalogue's own memory: joining
	// them would copy tens of megabytes.
	if err := atomicfile.WriteParts(path, 0o644, parts...); err != nil {
		return fmt.Errorf("save catalogue %s: %w", path, err)
	}
	return nil
}

// Snapshot is a catalogue opened for reading without decoding it: the
// summaries of its connectors are read at Open, a connector is decoded when
// asked for (and kept). Strings and raw schemas of what it returns share
// the file's memory: treat them as read-only. A Snapshot is safe for
// concurrent use.
type Snapshot struct {
	version   uint32
	checksum  uint32
	origins   []Source
	sample    bool
	updatedAt time.Time
	sums      []Summary
	offs      []int  // record i is recs[offs[i]:offs[i+1]]
	toc       []byte // the body before the records
	recs      []byte
	blobs     []byte
	decoded   []atomic.Pointer[Connector]
	// cat is set when the whole catalogue is in memory: an older format
	// (decoded at Open) or a catalogue given to SnapshotOf.
	cat *Catalog
}

// Open opens a snapshot for random access. A missing file gives
// ErrNoCatalog; a snapshot of a newer format gives ErrNewerVersion and is
// left as it is; a damaged one ErrCorruptSnapshot. An older format is
// decoded whole, as Load does.
func Open(path string) (*Snapshot, error) {
	s, err := openSnapshot(path)
	if err != nil {
		return nil, fmt.Errorf("load catalogue %s: %w", path, err)
	}
	return s, nil
}

func openSnapshot(path string) (*Snapshot, error) {
	data, err := readSnapshot(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoCatalog
	}
	if err != nil {
		return nil, err
	}
	return parseSnapshot(data)
}

// parseSnapshot reads the header and, in format 3, the table of contents.
// Every length and offset is checked against the data, so damaged bytes
// give ErrCorruptSnapshot, never a panic or a huge allocation.
func parseSnapshot(data []byte) (*Snapshot, error) {
	version, err := readHeader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	if version > SnapshotVersion {
		return nil, fmt.Errorf("format %d, this connex reads up to %d: %w (upgrade connex)",
			version, SnapshotVersion, ErrNewerVersion)
	}
	if version < 2 {
		return nil, fmt.Errorf("%w: format %d is too old to read", ErrCorruptSnapshot, version)
	}
	if len(data) < headerSize {
		return nil, fmt.Errorf("%w: short header", ErrCorruptSnapshot)
	}
	structLen, blobLen := binary.BigEndian.Uint64(data[16:]), binary.BigEndian.Uint64(data[24:])
	if have := uint64(len(data) - headerSize); structLen > have || blobLen != have-structLen {
		return nil, fmt.Errorf("%w: %d bytes, header says %d (truncated?)",
			ErrCorruptSnapshot, have, structLen+blobLen)
	}
	body := data[headerSize : headerSize+structLen]
	d := decoder{buf: body, blobs: data[headerSize+structLen:], version: version}
	if version == 2 {
		c := &Catalog{}
		codeCatalogV2(&d, c)
		if d.err == nil && d.pos != len(body) {
			d.err = errCodec
		}
		if d.err != nil {
			return nil, fmt.Errorf("%w: %v", ErrCorruptSnapshot, d.err)
		}
		s := SnapshotOf(c)
		s.version = version
		return s, nil
	}
	s := &Snapshot{version: version, checksum: binary.BigEndian.Uint32(data[12:]), blobs: d.blobs}
	n := d.countOf(minSummaryBytes)
	codeOrigins(&d, &s.origins)
	d.bool(&s.sample)
	d.time(&s.updatedAt)
	s.sums = make([]Summary, n)
	s.offs = make([]int, n+1)
	slab := make([]string, 0, 4*n)
	lens := make([]uint64, n)
	for i := range s.sums {
		d.slab = &slab
		codeSummary(&d, &s.sums[i])
		d.slab = nil
		lens[i] = d.uvarint()
	}
	if d.err != nil {
		return nil, fmt.Errorf("%w: table of contents: %v", ErrCorruptSnapshot, d.err)
	}
	s.toc, s.recs = body[:d.pos], body[d.pos:]
	off := uint64(0)
	for i, l := range lens {
		if l > uint64(len(s.recs))-off {
			return nil, fmt.Errorf("%w: record %d runs past the end", ErrCorruptSnapshot, i)
		}
		off += l
		s.offs[i+1] = int(off)
		if i > 0 && s.sums[i-1].ID > s.sums[i].ID {
			return nil, fmt.Errorf("%w: connectors out of order", ErrCorruptSnapshot)
		}
	}
	if off != uint64(len(s.recs)) {
		return nil, fmt.Errorf("%w: %d bytes after the last record", ErrCorruptSnapshot, uint64(len(s.recs))-off)
	}
	s.decoded = make([]atomic.Pointer[Connector], n)
	return s, nil
}

// SnapshotOf gives random access to a catalogue already in memory (the
// built-in samples, a catalogue just imported), so that callers need one
// code path. It sorts c's connectors by id; c must not change afterwards.
func SnapshotOf(c *Catalog) *Snapshot {
	c.Reindex()
	conns := c.Connectors
	if slices.Contains(conns, nil) {
		conns = slices.DeleteFunc(slices.Clone(conns), func(c *Connector) bool { return c == nil })
	}
	s := &Snapshot{version: SnapshotVersion, origins: c.Origins, sample: c.Sample, updatedAt: c.UpdatedAt,
		sums: make([]Summary, len(conns)), decoded: make([]atomic.Pointer[Connector], len(conns)),
		cat: &Catalog{Connectors: conns, Origins: c.Origins, Sample: c.Sample, UpdatedAt: c.UpdatedAt}}
	s.cat.Reindex()
	for i, conn := range conns {
		s.sums[i] = SummaryOf(conn)
		s.decoded[i].Store(conn)
	}
	return s
}

// Version is the snapshot's format version.
func (s *Snapshot) Version() uint32 { return s.version }

// Checksum identifies the snapshot's content (CRC-32C of its body); zero
// when unknown (an older format, or a catalogue from SnapshotOf).
func (s *Snapshot) Checksum() uint32 { return s.checksum }

// Len is the number of connectors.
func (s *Snapshot) Len() int { return len(s.sums) }

// ID is the id of connector i (0 <= i < Len(), in id order).
func (s *Snapshot) ID(i int) string { return s.sums[i].ID }

// Name is the display name of connector i.
func (s *Snapshot) Name(i int) string { return s.sums[i].Name }

// Summary is connector i's entry in the table of contents. Its Products
// slice is shared: do not modify it.
func (s *Snapshot) Summary(i int) Summary { return s.sums[i] }

// Sample reports whether this is the built-in sample catalogue.
func (s *Snapshot) Sample() bool { return s.sample }

// UpdatedAt is when the catalogue was last imported or refreshed.
func (s *Snapshot) UpdatedAt() time.Time { return s.updatedAt }

// Origins are the sources the catalogue was built from.
func (s *Snapshot) Origins() []Source { return s.origins }

// Lookup finds a connector by id (exactly, then in lower case, as
// Catalog.Connector does).
func (s *Snapshot) Lookup(id string) (int, bool) {
	if i, ok := s.search(id); ok {
		return i, true
	}
	return s.search(strings.ToLower(id))
}

func (s *Snapshot) search(id string) (int, bool) {
	return slices.BinarySearchFunc(s.sums, id, func(sum Summary, id string) int { return strings.Compare(sum.ID, id) })
}

// Connector decodes connector i (once; later calls return the same
// record). A damaged record gives ErrCorruptSnapshot.
func (s *Snapshot) Connector(i int) (*Connector, error) {
	if c := s.decoded[i].Load(); c != nil {
		return c, nil
	}
	c := &Connector{}
	if err := s.decodeInto(i, c); err != nil {
		return nil, err
	}
	if !s.decoded[i].CompareAndSwap(nil, c) {
		return s.decoded[i].Load(), nil
	}
	return c, nil
}

func (s *Snapshot) decodeInto(i int, c *Connector) error {
	rec := s.recs[s.offs[i]:s.offs[i+1]]
	d := decoder{buf: rec, blobs: s.blobs, version: s.version}
	codeConnector(&d, c)
	if d.err == nil && d.pos != len(rec) {
		d.err = errCodec
	}
	if d.err == nil && c.ID != s.sums[i].ID {
		d.err = fmt.Errorf("record %d is %q, the table says %q", i, c.ID, s.sums[i].ID)
	}
	if d.err != nil {
		return fmt.Errorf("connector %q: %w: %v", s.sums[i].ID, ErrCorruptSnapshot, d.err)
	}
	return nil
}

// ConnectorByID is Lookup then Connector; ok is false when there is no
// such connector.
func (s *Snapshot) ConnectorByID(id string) (c *Connector, ok bool, err error) {
	i, ok := s.Lookup(id)
	if !ok {
		return nil, false, nil
	}
	c, err = s.Connector(i)
	return c, err == nil, err
}

// Catalog decodes every connector: for callers that need the whole
// catalogue (the index build, stats, export). The result shares the
// snapshot's connectors; treat it as read-only.
func (s *Snapshot) Catalog() (*Catalog, error) {
	if s.cat != nil {
		return s.cat, nil
	}
	// One allocation for all connectors not decoded yet, as a load of the
	// whole catalogue used to do.
	slab := make([]Connector, len(s.sums))
	conns := make([]*Connector, len(s.sums))
	for i := range conns {
		if c := s.decoded[i].Load(); c != nil {
			conns[i] = c
			continue
		}
		if err := s.decodeInto(i, &slab[i]); err != nil {
			return nil, err
		}
		s.decoded[i].CompareAndSwap(nil, &slab[i])
		conns[i] = s.decoded[i].Load()
	}
	c := &Catalog{Connectors: conns, Origins: s.origins, Sample: s.sample, UpdatedAt: s.updatedAt}
	c.Reindex()
	return c, nil
}

// Verify reads the whole snapshot and checks it against its checksum
// (format 3), then decodes every connector.
func (s *Snapshot) Verify() error {
	if s.cat != nil {
		return nil
	}
	if s.checksum != 0 {
		sum := crc32.Update(0, castagnoli(), s.toc)
		sum = crc32.Update(sum, castagnoli(), s.recs)
		sum = crc32.Update(sum, castagnoli(), s.blobs)
		if sum != s.checksum {
			return fmt.Errorf("%w: checksum %08x, header says %08x", ErrCorruptSnapshot, sum, s.checksum)
		}
	}
	_, err := s.Catalog()
	return err
}

// Load reads a whole snapshot. Strings and raw schemas of the result share
// the file's memory: treat them as read-only. A missing file gives
// ErrNoCatalog; a snapshot of a newer format gives ErrNewerVersion and is
// left as it is.
func Load(path string) (*Catalog, error) {
	s, err := Open(path)
	if err != nil {
		return nil, err
	}
	c, err := s.Catalog()
	if err != nil {
		return nil, fmt.Errorf("load catalogue %s: %w", path, err)
	}
	return c, nil
}

// SnapshotVersionOf reads only the header of a snapshot.
func SnapshotVersionOf(path string) (uint32, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return readHeader(f)
}

func readHeader(r io.Reader) (uint32, error) {
	var head [12]byte
	if _, err := io.ReadFull(r, head[:]); err != nil {
		return 0, fmt.Errorf("%w: short header", ErrCorruptSnapshot)
	}
	if !bytes.Equal(head[:8], magic[:]) {
		return 0, fmt.Errorf("%w: not a connex snapshot", ErrCorruptSnapshot)
	}
	return binary.BigEndian.Uint32(head[8:]), nil
}

// BackupBeforeMigrate copies an older-format snapshot to
// "<path>.v<N>.bak" before it is rewritten in the current format, so a
// downgrade can go back to it. It does nothing for current snapshots.
func BackupBeforeMigrate(path string) (string, error) {
	version, err := SnapshotVersionOf(path)
	if err != nil || version >= SnapshotVersion {
		return "", nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	backup := fmt.Sprintf("%s.v%d.bak", path, version)
	if err := atomicfile.WriteFile(backup, data, 0o644); err != nil {
		return "", fmt.Errorf("back up %s: %w", path, err)
	}
	return backup, nil
}
