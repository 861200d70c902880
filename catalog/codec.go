package catalog

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"sort"
	"time"
	"unsafe"
)

// The snapshot body is a compact binary encoding of the model, written by
// hand because loading must take milliseconds: gob and JSON spend most of
// their time allocating the ~300,000 strings and 30 MiB of schemas of the
// full catalogue. Here strings and raw schemas decoded from a snapshot
// point into the one buffer read from disk (no copy, no allocation each),
// so a load is one read plus one allocation per struct.
//
// Every field of the model must be written and read here, in the same
// order; TestCodecCoversEveryField fills each field by reflection and fails
// when one is forgotten.

// Raw schemas go to a separate blob section after the structure, so that a
// load walks only the (small) structure; the schema bytes are touched only
// when someone reads them. A raw value is written as its length and its
// offset in the blob section, so identical values (the same definition
// or response schema repeated across operations and connectors: a quarter
// of the bytes of the real catalogue) are stored once and shared; readers
// of format 3 always followed offsets, so this needs no new format.
type encoder struct {
	buf []byte
	// blobs are the blob section's distinct values, in order, not copied:
	// they share the catalogue's bytes (never written after an import),
	// and Save writes them straight to the file. blobLen is their total
	// length; blobAt where each already is.
	blobs   [][]byte
	blobLen uint64
	blobAt  map[string]uint64
	// version is the format written: 0 is SnapshotVersion; tests write
	// older ones to check they are still read.
	version uint32
}

// coder is one direction of the codec: the encoder writes each field it is
// given, the decoder reads it into the field. Each part of the model has
// one function (codeConnector, codeOperation...) that lists its fields in
// order for both directions, so the writer and the reader cannot drift
// apart.
type coder interface {
	str(*string)
	strs(*[]string)
	bool(*bool)
	// sint is a signed integer; uint a count that cannot exceed the
	// snapshot's size.
	sint(*int)
	uint(*int)
	raw(*json.RawMessage)
	time(*time.Time)
	// count writes n, the length of a list about to be written, or reads
	// one whose items take at least min bytes each.
	count(n, min int) int
	decoding() bool
	// format is the snapshot format being written or read.
	format() uint32
}

func (e *encoder) uvarint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *encoder) sint(v *int)      { e.buf = binary.AppendVarint(e.buf, int64(*v)) }
func (e *encoder) uint(v *int)      { e.uvarint(uint64(*v)) }
func (e *encoder) str(s *string)    { e.uvarint(uint64(len(*s))); e.buf = append(e.buf, *s...) }
func (e *encoder) raw(p *json.RawMessage) {
	b := *p
	e.uvarint(uint64(len(b)))
	if len(b) == 0 {
		return
	}
	key := unsafe.String(&b[0], len(b))
	if off, ok := e.blobAt[key]; ok {
		e.uvarint(off)
		return
	}
	if e.blobAt == nil {
		e.blobAt = make(map[string]uint64)
	}
	e.blobAt[key] = e.blobLen
	e.uvarint(e.blobLen)
	e.blobs = append(e.blobs, b)
	e.blobLen += uint64(len(b))
}
func (e *encoder) bool(b *bool) {
	if *b {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}
func (e *encoder) time(t *time.Time) {
	if t.IsZero() {
		e.buf = binary.AppendVarint(e.buf, math.MinInt64)
		return
	}
	e.buf = binary.AppendVarint(e.buf, t.UnixNano())
}
func (e *encoder) strs(ss *[]string) {
	e.uvarint(uint64(len(*ss)))
	for i := range *ss {
		e.str(&(*ss)[i])
	}
}
func (e *encoder) count(n, _ int) int { e.uvarint(uint64(n)); return n }
func (e *encoder) decoding() bool     { return false }
func (e *encoder) format() uint32 {
	if e.version == 0 {
		return SnapshotVersion
	}
	return e.version
}

// errCodec is wrapped into ErrCorruptSnapshot by Load.
var errCodec = errors.New("malformed snapshot body")

type decoder struct {
	buf   []byte
	blobs []byte
	pos   int
	err   error
	// version is the snapshot's format version: fields added later are
	// read only from snapshots that have them.
	version uint32
	// slab, when set, receives decoded string lists (see strs).
	slab *[]string
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCodec
	}
	d.pos = len(d.buf)
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.buf[d.pos:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.pos += n
	return v
}

func (d *decoder) sint(p *int) {
	v, n := binary.Varint(d.buf[d.pos:])
	if n <= 0 {
		d.fail()
		*p = 0
		return
	}
	d.pos += n
	*p = int(v)
}

// uint reads a count that cannot exceed the snapshot's size.
func (d *decoder) uint(p *int) {
	v := d.uvarint()
	if v > uint64(len(d.buf)) {
		d.fail()
		v = 0
	}
	*p = int(v)
}

func (d *decoder) count(_, min int) int { return d.countOf(min) }
func (d *decoder) decoding() bool       { return true }
func (d *decoder) format() uint32       { return d.version }

// countOf reads the length of a list whose items take at least min bytes
// each when encoded: the check against what is left then also bounds the
// allocation for items much larger in memory than on disk (a Connector is
// hundreds of bytes, its smallest encoding a few dozen), so a corrupt
// snapshot cannot make us allocate gigabytes.
func (d *decoder) countOf(min int) int {
	n := d.uvarint()
	if n > uint64((len(d.buf)-d.pos)/min) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) bytes() []byte {
	n := d.countOf(1)
	if n == 0 {
		return nil
	}
	b := d.buf[d.pos : d.pos+n : d.pos+n]
	d.pos += n
	return b
}

func (d *decoder) str(p *string) {
	b := d.bytes()
	if len(b) == 0 {
		*p = ""
		return
	}
	// The buffer is never written after decoding, so strings may share it.
	*p = unsafe.String(&b[0], len(b))
}

func (d *decoder) raw(p *json.RawMessage) {
	*p = nil
	n := d.uvarint()
	if n == 0 {
		return
	}
	off := d.uvarint()
	if off > uint64(len(d.blobs)) || n > uint64(len(d.blobs))-off {
		d.fail()
		return
	}
	*p = json.RawMessage(d.blobs[off : off+n : off+n])
}

func (d *decoder) bool(p *bool) {
	if d.pos >= len(d.buf) {
		d.fail()
		*p = false
		return
	}
	*p = d.buf[d.pos] == 1
	d.pos++
}

func (d *decoder) time(p *time.Time) {
	v, n := binary.Varint(d.buf[d.pos:])
	if n <= 0 {
		d.fail()
		*p = time.Time{}
		return
	}
	d.pos += n
	if v == math.MinInt64 {
		*p = time.Time{}
		return
	}
	*p = time.Unix(0, v).UTC()
}

// strs reads a list of strings; in the table of contents (slab set) they
// go to the shared slab, one allocation for the whole table.
func (d *decoder) strs(p *[]string) {
	*p = nil
	n := d.countOf(1)
	if n == 0 {
		return
	}
	if d.slab != nil {
		start := len(*d.slab)
		for range n {
			var s string
			d.str(&s)
			*d.slab = append(*d.slab, s)
		}
		*p = (*d.slab)[start:len(*d.slab):len(*d.slab)]
		return
	}
	out := make([]string, n)
	for i := range out {
		d.str(&out[i])
	}
	*p = out
}

// strAs codes a string of a named string type (Tier, Visibility...). A
// *T is a *string underneath; converting it keeps the value in place
// (a copy in a local would escape to the heap through the interface call,
// one allocation per field decoded).
func strAs[T ~string](c coder, p *T) {
	c.str((*string)(unsafe.Pointer(p)))
}

// list codes a list of items of at least min bytes each; decoded, an empty
// list is nil.
func list[T any](c coder, p *[]T, min int, item func(coder, *T)) {
	n := c.count(len(*p), min)
	if c.decoding() {
		*p = nil
		if n == 0 {
			return
		}
		*p = make([]T, n)
	}
	for i := range *p {
		item(c, &(*p)[i])
	}
}

// ptrList is list for a list of pointers; decoded, the items share one
// allocation.
func ptrList[T any](c coder, p *[]*T, min int, item func(coder, *T)) {
	n := c.count(len(*p), min)
	if c.decoding() {
		*p = nil
		if n == 0 {
			return
		}
		slab := make([]T, n)
		*p = make([]*T, n)
		for i := range slab {
			(*p)[i] = &slab[i]
		}
	}
	for _, v := range *p {
		item(c, v)
	}
}

// mapOf codes a map, written in key order so that a snapshot's bytes
// depend only on its content.
func mapOf[V any](c coder, p *map[string]V, item func(coder, *V)) {
	if !c.decoding() {
		c.count(len(*p), 1)
		for _, k := range sortedKeys(*p) {
			v := (*p)[k]
			c.str(&k)
			item(c, &v)
		}
		return
	}
	*p = nil
	n := c.count(0, 1)
	if n == 0 {
		return
	}
	// Keys and values are decoded in place in two slabs, not one
	// allocation each.
	keys, vals := make([]string, n), make([]V, n)
	*p = make(map[string]V, n)
	for i := range n {
		c.str(&keys[i])
		item(c, &vals[i])
		(*p)[keys[i]] = vals[i]
	}
}

func codeRaw(c coder, r *json.RawMessage) { c.raw(r) }

// Minimum encoded sizes, for countOf: every string, list and map length
// takes at least one byte, as does every bool, int and time; a table of
// contents entry is a summary and its record's length.
// TestMinimumEncodedSizes keeps them exact.
const (
	minConnectorBytes = 37
	minOperationBytes = 23
	minParameterBytes = 13
	minSummaryBytes   = 12
)

// texts codes strings in sequence.
func texts(c coder, fields ...*string) {
	for _, f := range fields {
		c.str(f)
	}
}

// codeCatalogV2 codes the body of a format-2 snapshot: every connector in
// sequence, then the catalogue's own fields. Format 3 writes the same
// connector records, behind a table of contents (see snapshot.go).
func codeCatalogV2(c coder, cat *Catalog) {
	ptrList(c, &cat.Connectors, minConnectorBytes, codeConnector)
	codeOrigins(c, &cat.Origins)
	c.bool(&cat.Sample)
	c.time(&cat.UpdatedAt)
}

func codeOrigins(c coder, origins *[]Source) { list(c, origins, 1, codeSource) }

func codeSource(c coder, s *Source) {
	texts(c, &s.Kind, &s.Ref)
	c.time(&s.At)
}

// codeSummary codes a connector's entry in the table of contents.
func codeSummary(c coder, s *Summary) {
	texts(c, &s.ID, &s.Name, &s.Publisher)
	strAs(c, &s.PublisherKind)
	strAs(c, &s.Tier)
	c.bool(&s.Preview)
	c.bool(&s.Deprecated)
	c.strs(&s.Products)
	c.uint(&s.Actions)
	c.uint(&s.Triggers)
	c.str(&s.DocsURL)
}

func codeConnector(c coder, conn *Connector) {
	texts(c, &conn.ID, &conn.Folder)
	c.strs(&conn.Aliases)
	texts(c, &conn.Name, &conn.Description, &conn.Publisher)
	strAs(c, &conn.PublisherKind)
	strAs(c, &conn.Tier)
	c.bool(&conn.Preview)
	c.bool(&conn.Deprecated)
	list(c, &conn.Products, 1, func(c coder, p *Product) {
		c.str(&p.Name)
		strAs(c, &p.Class)
		c.str(&p.Regions)
		c.strs(&p.Exceptions)
	})
	c.str(&conn.RegionsNote)
	c.strs(&conn.Categories)
	texts(c, &conn.Website, &conn.PrivacyPolicy, &conn.Contact.Name, &conn.Contact.URL, &conn.Contact.Email)
	list(c, &conn.Contact.Links, 1, func(c coder, l *Link) {
		texts(c, &l.Title, &l.URL)
	})
	texts(c, &conn.IconURL, &conn.BrandColor, &conn.DocsURL, &conn.Version, &conn.Host, &conn.BasePath)
	c.strs(&conn.Schemes)
	c.bool(&conn.ViaConnection)
	c.strs(&conn.Capabilities)
	c.str(&conn.PageRevision)
	list(c, &conn.Sections, 1, func(c coder, s *Section) {
		c.str(&s.Title)
		c.sint(&s.Level)
		c.str(&s.Body)
	})
	list(c, &conn.AuthTypes, 1, codeAuthType)
	list(c, &conn.Throttling, 1, codeLimit)
	list(c, &conn.Limits, 1, codeLimit)
	list(c, &conn.KnownIssues, 1, func(c coder, k *KnownIssue) {
		texts(c, &k.Summary, &k.Operations, &k.Description)
		c.strs(&k.OperationIDs)
	})
	ptrList(c, &conn.Operations, minOperationBytes, codeOperation)
	mapOf(c, &conn.Definitions, codeRaw)
	mapOf(c, &conn.Sources, codeSource)
}

func codeAuthType(c coder, a *AuthType) {
	texts(c, &a.ID, &a.Name, &a.Type, &a.Description, &a.In, &a.ParamName, &a.Flow, &a.AuthURL, &a.TokenURL)
	c.strs(&a.Scopes)
	texts(c, &a.Shareable, &a.Applicable)
	list(c, &a.Parameters, 1, func(c coder, p *ConnectionParam) {
		texts(c, &p.Name, &p.DisplayName, &p.Type, &p.Description)
		c.bool(&p.Required)
	})
}

func codeLimit(c coder, l *Limit) {
	texts(c, &l.Name, &l.Value, &l.Renewal)
}

func codeOperation(c coder, op *Operation) {
	texts(c, &op.ID, &op.Name, &op.Description)
	strAs(c, &op.Kind)
	strAs(c, &op.TriggerType)
	texts(c, &op.Method, &op.Path)
	strAs(c, &op.Visibility)
	c.bool(&op.Deprecated)
	c.bool(&op.Preview)
	texts(c, &op.ReplacedBy, &op.ReplacedByConnector)
	c.strs(&op.Tags)
	c.strs(&op.Consumes)
	c.strs(&op.Produces)
	minParam := minParameterBytes
	if c.format() < 4 {
		minParam-- // no URL encoding
	}
	list(c, &op.Parameters, minParam, codeParameter)
	c.raw(&op.Body)
	list(c, &op.Responses, 1, func(c coder, r *Response) {
		texts(c, &r.Status, &r.Description)
		c.raw(&r.Schema)
		list(c, &r.Fields, 1, func(c coder, f *Field) {
			texts(c, &f.Name, &f.Path, &f.Type, &f.Description)
		})
	})
	c.strs(&op.Security)
	c.bool(&op.Dynamic)
	c.raw(&op.Capabilities)
	c.str(&op.Anchor)
	if c.format() >= 3 {
		c.strs(&op.From)
	}
}

func codeParameter(c coder, p *Parameter) {
	texts(c, &p.Name, &p.Key, &p.In)
	c.bool(&p.Required)
	texts(c, &p.Type, &p.Format)
	c.strs(&p.Enum)
	texts(c, &p.Default, &p.Description)
	strAs(c, &p.Visibility)
	c.raw(&p.Schema)
	c.bool(&p.Dynamic)
	if c.format() >= 4 {
		c.str(&p.URLEncoding)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
