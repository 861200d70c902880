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

func (e *encoder) uvarint(v uint64) { e.buf = binary.AppendUvarint(e.buf, v) }
func (e *encoder) int(v int)        { e.buf = binary.AppendVarint(e.buf, int64(v)) }
func (e *encoder) str(s string)     { e.uvarint(uint64(len(s))); e.buf = append(e.buf, s...) }
func (e *encoder) raw(b []byte) {
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
func (e *encoder) bool(b bool) {
	if b {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}
func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.buf = binary.AppendVarint(e.buf, math.MinInt64)
		return
	}
	e.buf = binary.AppendVarint(e.buf, t.UnixNano())
}
func (e *encoder) strs(ss []string) {
	e.uvarint(uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
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

func (d *decoder) int() int {
	v, n := binary.Varint(d.buf[d.pos:])
	if n <= 0 {
		d.fail()
		return 0
	}
	d.pos += n
	return int(v)
}

// count reads a length and checks it against what is left, so a corrupt
// snapshot cannot make us allocate gigabytes.
func (d *decoder) count() int { return d.countOf(1) }

// countOf reads the length of a list whose items take at least min bytes
// each when encoded: the check against what is left then also bounds the
// allocation for items much larger in memory than on disk (a Connector is
// hundreds of bytes, its smallest encoding a few dozen).
func (d *decoder) countOf(min int) int {
	n := d.uvarint()
	if n > uint64((len(d.buf)-d.pos)/min) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) bytes() []byte {
	n := d.count()
	if n == 0 {
		return nil
	}
	b := d.buf[d.pos : d.pos+n : d.pos+n]
	d.pos += n
	return b
}

func (d *decoder) str() string {
	b := d.bytes()
	if len(b) == 0 {
		return ""
	}
	// The buffer is never written after decoding, so strings may share it.
	return unsafe.String(&b[0], len(b))
}

func (d *decoder) raw() json.RawMessage {
	n := d.uvarint()
	if n == 0 {
		return nil
	}
	off := d.uvarint()
	if off > uint64(len(d.blobs)) || n > uint64(len(d.blobs))-off {
		d.fail()
		return nil
	}
	return json.RawMessage(d.blobs[off : off+n : off+n])
}

func (d *decoder) bool() bool {
	if d.pos >= len(d.buf) {
		d.fail()
		return false
	}
	b := d.buf[d.pos]
	d.pos++
	return b == 1
}

func (d *decoder) time() time.Time {
	v, n := binary.Varint(d.buf[d.pos:])
	if n <= 0 {
		d.fail()
		return time.Time{}
	}
	d.pos += n
	if v == math.MinInt64 {
		return time.Time{}
	}
	return time.Unix(0, v).UTC()
}

func (d *decoder) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

func (e *encoder) source(s Source) { e.str(s.Kind); e.str(s.Ref); e.time(s.At) }
func (d *decoder) source() Source  { return Source{Kind: d.str(), Ref: d.str(), At: d.time()} }

// Minimum encoded sizes, for countOf: every string, list and map length
// takes at least one byte, as does every bool, int and time; a table of
// contents entry is a summary and its record's length.
// TestMinimumEncodedSizes keeps them exact.
const (
	minConnectorBytes = 37
	minOperationBytes = 23
	minParameterBytes = 12
	minSummaryBytes   = 12
)

// decodeCatalogV2 reads the body of a format-2 snapshot: every connector in
// sequence, then the catalogue's own fields. Format 3 wrote the same
// connector records, behind a table of contents (see snapshot.go).
func decodeCatalogV2(d *decoder) *Catalog {
	c := &Catalog{}
	if n := d.countOf(minConnectorBytes); n > 0 {
		c.Connectors = make([]*Connector, n)
		conns := make([]Connector, n)
		for i := range conns {
			decodeConnector(d, &conns[i])
			c.Connectors[i] = &conns[i]
		}
	}
	c.Origins = decodeOrigins(d)
	c.Sample = d.bool()
	c.UpdatedAt = d.time()
	return c
}

func encodeOrigins(e *encoder, origins []Source) {
	e.uvarint(uint64(len(origins)))
	for _, o := range origins {
		e.source(o)
	}
}

func decodeOrigins(d *decoder) []Source {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]Source, n)
	for i := range out {
		out[i] = d.source()
	}
	return out
}

// encodeSummary writes a connector's entry in the table of contents.
func encodeSummary(e *encoder, s *Summary) {
	e.str(s.ID)
	e.str(s.Name)
	e.str(s.Publisher)
	e.str(string(s.PublisherKind))
	e.str(string(s.Tier))
	e.bool(s.Preview)
	e.bool(s.Deprecated)
	e.strs(s.Products)
	e.uvarint(uint64(s.Actions))
	e.uvarint(uint64(s.Triggers))
	e.str(s.DocsURL)
}

// decodeSummary reads an entry of the table of contents; products are
// appended to the shared slab (one allocation for the whole table).
func decodeSummary(d *decoder, s *Summary, slab *[]string) {
	s.ID = d.str()
	s.Name = d.str()
	s.Publisher = d.str()
	s.PublisherKind = PublisherKind(d.str())
	s.Tier = Tier(d.str())
	s.Preview = d.bool()
	s.Deprecated = d.bool()
	if n := d.count(); n > 0 {
		start := len(*slab)
		for i := 0; i < n; i++ {
			*slab = append(*slab, d.str())
		}
		s.Products = (*slab)[start:len(*slab):len(*slab)]
	}
	s.Actions = d.smallInt()
	s.Triggers = d.smallInt()
	s.DocsURL = d.str()
}

// smallInt reads a count that cannot exceed the snapshot's size.
func (d *decoder) smallInt() int {
	v := d.uvarint()
	if v > uint64(len(d.buf)) {
		d.fail()
		return 0
	}
	return int(v)
}

func encodeConnector(e *encoder, c *Connector) {
	e.str(c.ID)
	e.str(c.Folder)
	e.strs(c.Aliases)
	e.str(c.Name)
	e.str(c.Description)
	e.str(c.Publisher)
	e.str(string(c.PublisherKind))
	e.str(string(c.Tier))
	e.bool(c.Preview)
	e.bool(c.Deprecated)
	e.uvarint(uint64(len(c.Products)))
	for _, p := range c.Products {
		e.str(p.Name)
		e.str(string(p.Class))
		e.str(p.Regions)
		e.strs(p.Exceptions)
	}
	e.str(c.RegionsNote)
	e.strs(c.Categories)
	e.str(c.Website)
	e.str(c.PrivacyPolicy)
	e.str(c.Contact.Name)
	e.str(c.Contact.URL)
	e.str(c.Contact.Email)
	e.uvarint(uint64(len(c.Contact.Links)))
	for _, l := range c.Contact.Links {
		e.str(l.Title)
		e.str(l.URL)
	}
	e.str(c.IconURL)
	e.str(c.BrandColor)
	e.str(c.DocsURL)
	e.str(c.Version)
	e.str(c.Host)
	e.str(c.BasePath)
	e.strs(c.Schemes)
	e.bool(c.ViaConnection)
	e.strs(c.Capabilities)
	e.str(c.PageRevision)
	e.uvarint(uint64(len(c.Sections)))
	for _, s := range c.Sections {
		e.str(s.Title)
		e.int(s.Level)
		e.str(s.Body)
	}
	e.uvarint(uint64(len(c.AuthTypes)))
	for i := range c.AuthTypes {
		encodeAuthType(e, &c.AuthTypes[i])
	}
	encodeLimits(e, c.Throttling)
	encodeLimits(e, c.Limits)
	e.uvarint(uint64(len(c.KnownIssues)))
	for _, k := range c.KnownIssues {
		e.str(k.Summary)
		e.str(k.Operations)
		e.str(k.Description)
		e.strs(k.OperationIDs)
	}
	e.uvarint(uint64(len(c.Operations)))
	for _, op := range c.Operations {
		encodeOperation(e, op)
	}
	// Maps are written in key order so that a snapshot's bytes depend
	// only on its content.
	e.uvarint(uint64(len(c.Definitions)))
	for _, k := range sortedKeys(c.Definitions) {
		e.str(k)
		e.raw(c.Definitions[k])
	}
	e.uvarint(uint64(len(c.Sources)))
	for _, k := range sortedKeys(c.Sources) {
		e.str(k)
		e.source(c.Sources[k])
	}
}

func decodeConnector(d *decoder, c *Connector) {
	c.ID = d.str()
	c.Folder = d.str()
	c.Aliases = d.strs()
	c.Name = d.str()
	c.Description = d.str()
	c.Publisher = d.str()
	c.PublisherKind = PublisherKind(d.str())
	c.Tier = Tier(d.str())
	c.Preview = d.bool()
	c.Deprecated = d.bool()
	if n := d.count(); n > 0 {
		c.Products = make([]Product, n)
		for i := range c.Products {
			c.Products[i] = Product{Name: d.str(), Class: Tier(d.str()), Regions: d.str(), Exceptions: d.strs()}
		}
	}
	c.RegionsNote = d.str()
	c.Categories = d.strs()
	c.Website = d.str()
	c.PrivacyPolicy = d.str()
	c.Contact = Contact{Name: d.str(), URL: d.str(), Email: d.str()}
	if n := d.count(); n > 0 {
		c.Contact.Links = make([]Link, n)
		for i := range c.Contact.Links {
			c.Contact.Links[i] = Link{Title: d.str(), URL: d.str()}
		}
	}
	c.IconURL = d.str()
	c.BrandColor = d.str()
	c.DocsURL = d.str()
	c.Version = d.str()
	c.Host = d.str()
	c.BasePath = d.str()
	c.Schemes = d.strs()
	c.ViaConnection = d.bool()
	c.Capabilities = d.strs()
	c.PageRevision = d.str()
	if n := d.count(); n > 0 {
		c.Sections = make([]Section, n)
		for i := range c.Sections {
			c.Sections[i] = Section{Title: d.str(), Level: d.int(), Body: d.str()}
		}
	}
	if n := d.count(); n > 0 {
		c.AuthTypes = make([]AuthType, n)
		for i := range c.AuthTypes {
			decodeAuthType(d, &c.AuthTypes[i])
		}
	}
	c.Throttling = decodeLimits(d)
	c.Limits = decodeLimits(d)
	if n := d.count(); n > 0 {
		c.KnownIssues = make([]KnownIssue, n)
		for i := range c.KnownIssues {
			c.KnownIssues[i] = KnownIssue{Summary: d.str(), Operations: d.str(), Description: d.str(), OperationIDs: d.strs()}
		}
	}
	if n := d.countOf(minOperationBytes); n > 0 {
		c.Operations = make([]*Operation, n)
		ops := make([]Operation, n)
		for i := range ops {
			decodeOperation(d, &ops[i])
			c.Operations[i] = &ops[i]
		}
	}
	if n := d.count(); n > 0 {
		c.Definitions = make(map[string]json.RawMessage, n)
		for i := 0; i < n; i++ {
			k := d.str()
			c.Definitions[k] = d.raw()
		}
	}
	if n := d.count(); n > 0 {
		c.Sources = make(map[string]Source, n)
		for i := 0; i < n; i++ {
			k := d.str()
			c.Sources[k] = d.source()
		}
	}
}

func encodeAuthType(e *encoder, a *AuthType) {
	e.str(a.ID)
	e.str(a.Name)
	e.str(a.Type)
	e.str(a.Description)
	e.str(a.In)
	e.str(a.ParamName)
	e.str(a.Flow)
	e.str(a.AuthURL)
	e.str(a.TokenURL)
	e.strs(a.Scopes)
	e.str(a.Shareable)
	e.str(a.Applicable)
	e.uvarint(uint64(len(a.Parameters)))
	for _, p := range a.Parameters {
		e.str(p.Name)
		e.str(p.DisplayName)
		e.str(p.Type)
		e.str(p.Description)
		e.bool(p.Required)
	}
}

func decodeAuthType(d *decoder, a *AuthType) {
	a.ID = d.str()
	a.Name = d.str()
	a.Type = d.str()
	a.Description = d.str()
	a.In = d.str()
	a.ParamName = d.str()
	a.Flow = d.str()
	a.AuthURL = d.str()
	a.TokenURL = d.str()
	a.Scopes = d.strs()
	a.Shareable = d.str()
	a.Applicable = d.str()
	if n := d.count(); n > 0 {
		a.Parameters = make([]ConnectionParam, n)
		for i := range a.Parameters {
			a.Parameters[i] = ConnectionParam{Name: d.str(), DisplayName: d.str(), Type: d.str(), Description: d.str(), Required: d.bool()}
		}
	}
}

func encodeLimits(e *encoder, ls []Limit) {
	e.uvarint(uint64(len(ls)))
	for _, l := range ls {
		e.str(l.Name)
		e.str(l.Value)
		e.str(l.Renewal)
	}
}

func decodeLimits(d *decoder) []Limit {
	n := d.count()
	if n == 0 {
		return nil
	}
	out := make([]Limit, n)
	for i := range out {
		out[i] = Limit{Name: d.str(), Value: d.str(), Renewal: d.str()}
	}
	return out
}

func encodeOperation(e *encoder, op *Operation) {
	e.str(op.ID)
	e.str(op.Name)
	e.str(op.Description)
	e.str(string(op.Kind))
	e.str(string(op.TriggerType))
	e.str(op.Method)
	e.str(op.Path)
	e.str(string(op.Visibility))
	e.bool(op.Deprecated)
	e.bool(op.Preview)
	e.str(op.ReplacedBy)
	e.str(op.ReplacedByConnector)
	e.strs(op.Tags)
	e.strs(op.Consumes)
	e.strs(op.Produces)
	e.uvarint(uint64(len(op.Parameters)))
	for i := range op.Parameters {
		p := &op.Parameters[i]
		e.str(p.Name)
		e.str(p.Key)
		e.str(p.In)
		e.bool(p.Required)
		e.str(p.Type)
		e.str(p.Format)
		e.strs(p.Enum)
		e.str(p.Default)
		e.str(p.Description)
		e.str(string(p.Visibility))
		e.raw(p.Schema)
		e.bool(p.Dynamic)
	}
	e.raw(op.Body)
	e.uvarint(uint64(len(op.Responses)))
	for _, r := range op.Responses {
		e.str(r.Status)
		e.str(r.Description)
		e.raw(r.Schema)
		e.uvarint(uint64(len(r.Fields)))
		for _, f := range r.Fields {
			e.str(f.Name)
			e.str(f.Path)
			e.str(f.Type)
			e.str(f.Description)
		}
	}
	e.strs(op.Security)
	e.bool(op.Dynamic)
	e.raw(op.Capabilities)
	e.str(op.Anchor)
	if e.version == 0 || e.version >= 3 {
		e.strs(op.From)
	}
}

func decodeOperation(d *decoder, op *Operation) {
	op.ID = d.str()
	op.Name = d.str()
	op.Description = d.str()
	op.Kind = OperationKind(d.str())
	op.TriggerType = TriggerType(d.str())
	op.Method = d.str()
	op.Path = d.str()
	op.Visibility = Visibility(d.str())
	op.Deprecated = d.bool()
	op.Preview = d.bool()
	op.ReplacedBy = d.str()
	op.ReplacedByConnector = d.str()
	op.Tags = d.strs()
	op.Consumes = d.strs()
	op.Produces = d.strs()
	if n := d.countOf(minParameterBytes); n > 0 {
		op.Parameters = make([]Parameter, n)
		for i := range op.Parameters {
			p := &op.Parameters[i]
			p.Name = d.str()
			p.Key = d.str()
			p.In = d.str()
			p.Required = d.bool()
			p.Type = d.str()
			p.Format = d.str()
			p.Enum = d.strs()
			p.Default = d.str()
			p.Description = d.str()
			p.Visibility = Visibility(d.str())
			p.Schema = d.raw()
			p.Dynamic = d.bool()
		}
	}
	op.Body = d.raw()
	if n := d.count(); n > 0 {
		op.Responses = make([]Response, n)
		for i := range op.Responses {
			r := &op.Responses[i]
			r.Status = d.str()
			r.Description = d.str()
			r.Schema = d.raw()
			if m := d.count(); m > 0 {
				r.Fields = make([]Field, m)
				for j := range r.Fields {
					r.Fields[j] = Field{Name: d.str(), Path: d.str(), Type: d.str(), Description: d.str()}
				}
			}
		}
	}
	op.Security = d.strs()
	op.Dynamic = d.bool()
	op.Capabilities = d.raw()
	op.Anchor = d.str()
	if d.version >= 3 {
		op.From = d.strs()
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
