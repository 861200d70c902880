package index

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/connex-dev/connex/catalog"
)

// The side table holds, for every document, what filters, facets and hits
// need: kind, tier, publisher kind, products, flags and the ids. It is
// written beside the bleve files at build time and loaded whole at open
// (about 300 KB for the full catalogue), so a search never reads stored
// fields or doc values: a match's internal document number indexes it.

// Attribute codes in the table.
const (
	kindConnector uint8 = iota
	kindAction
	kindTrigger
)

var kindNames = [...]string{KindConnector, KindAction, KindTrigger}

const (
	tierUnknown uint8 = iota
	tierStandard
	tierPremium
)

var tierNames = [...]string{"unknown", string(catalog.TierStandard), string(catalog.TierPremium)}

const (
	pubUnknown uint8 = iota
	pubMicrosoft
	pubCertified
	pubIndependent
	pubCustom
)

var pubNames = [...]string{"unknown", string(catalog.PublisherMicrosoft), string(catalog.PublisherCertified),
	string(catalog.PublisherIndependent), string(catalog.PublisherCustom)}

const (
	flagPreview uint8 = 1 << iota
	flagDeprecated
	flagInternal
	flagImportant
	flagAdvanced
	// flagSuperseded: a newer version of the same family exists (an
	// operation "SendEmailV2" beside "SendEmailV3", a connector
	// "fooV2" beside "fooV3"), neither deprecated nor internal.
	flagSuperseded
)

// entry is one document's attributes: what a match's filters and facets
// read, 12 bytes, so that the entries of 23,000 documents stay in the
// processor's cache while a short query visits thousands of them in
// document-number order (with the texts beside them, a third of a
// one-letter query's time went to cache misses).
type entry struct {
	kind     uint8
	tier     uint8
	pub      uint8
	products uint8 // bit i: catalog.Products[i]
	flags    uint8
	conn     uint32 // index into table.conns
}

// opText locates an operation document's texts (all empty for
// connectors) in table.text, where each is written as on disk: the
// length as a uvarint, then the bytes, for the id, the name's words and
// the name one after another; off is where the id's bytes start. Three
// lengths and an offset take 16 bytes where three strings took 48: 0.8 MB
// less of the explorer's heap on the union, and a table that decodes
// without writing a string header per text.
type opText struct {
	off uint32
	// id is the operation id's length; words the length of the name as
	// rankWords gives it, for phrase matching (connInfo.cover for
	// connectors); name the length of the display name, what a result
	// row shows (Hit.Name), so that no front end decodes a connector to
	// draw its operations' rows.
	id, words, name uint32
}

// uvarintLen is how many bytes binary.AppendUvarint writes for n.
func uvarintLen(n uint32) uint32 {
	l := uint32(1)
	for n >= 0x80 {
		n >>= 7
		l++
	}
	return l
}

// opID, opWords and opName are entry ord's operation texts ("" for a
// connector).
func (t *table) opID(ord int) string {
	o := &t.ops[ord]
	return t.text[o.off : o.off+o.id]
}

func (t *table) opWords(ord int) string {
	o := &t.ops[ord]
	if o.words == 0 {
		return ""
	}
	at := o.off + o.id + uvarintLen(o.words)
	return t.text[at : at+o.words]
}

func (t *table) opName(ord int) string {
	o := &t.ops[ord]
	if o.name == 0 {
		return ""
	}
	at := o.off + o.id + uvarintLen(o.words) + o.words + uvarintLen(o.name)
	return t.text[at : at+o.name]
}

// setOpTexts lays the operation texts of a new table out in t.text.
func (t *table) setOpTexts(texts [][3]string) {
	var b []byte
	t.ops = make([]opText, len(texts))
	for ord, tx := range texts {
		if tx == ([3]string{}) {
			continue
		}
		b = binary.AppendUvarint(b, uint64(len(tx[0])))
		o := opText{off: uint32(len(b)), id: uint32(len(tx[0])), words: uint32(len(tx[1])), name: uint32(len(tx[2]))}
		b = append(b, tx[0]...)
		b = binary.AppendUvarint(b, uint64(len(tx[1])))
		b = append(b, tx[1]...)
		b = binary.AppendUvarint(b, uint64(len(tx[2])))
		b = append(b, tx[2]...)
		t.ops[ord] = o
	}
	t.text = string(b)
}

type connInfo struct {
	id        string
	publisher string // lower case, for the publisher filter
	// names: the words of the connector's name and aliases with their
	// camelCase parts, and its id and aliases whole (the shared_<id> API
	// name aside), lower case, space separated: a query word among them
	// names the connector.
	names string
	// ids: the id and aliases, lower case, space separated.
	ids string
	// cover: the words of the name a query must hold to name the
	// connector exactly (rankWords, without the publisher's words).
	cover string
	// live is the share of its operations that are not deprecated, in
	// percent (100 without operations): mostly deprecated connectors
	// are the old ones.
	live uint8
	// important counts its live operations marked important (at most
	// 255).
	important uint8
}

// table is the loaded side table. Entries are in rank order: connectors by
// name, then operations (important first, then by connector and name),
// which is the order of an empty query.
type table struct {
	fingerprint uint32
	conns       []connInfo
	entries     []entry
	ops         []opText  // each entry's operation texts, in text
	text        string    // the texts ops locate
	nums        []uint64  // internal document number of each entry
	byNum       []int32   // internal document number -> entry, -1 for none
	static      []float32 // each entry's static ranking factor (rank.go)
	productSets [256]bool // the product bit sets of the entries
	// typoRaw is the typo dictionary, encoded (typo.go), decoded at the
	// first typo.
	typoRaw string
}

// resolve finds the operation a "connector/operation" text names (ids
// or aliases, any case); -1 when the text is not one or names nothing.
func (t *table) resolve(text string) int32 {
	text = strings.TrimSpace(text)
	connID, opID, ok := strings.Cut(text, "/")
	if !ok || connID == "" || opID == "" || strings.ContainsAny(text, " \t") || strings.Contains(opID, "/") {
		return -1
	}
	connID = strings.ToLower(connID)
	for ord := range t.entries {
		e := &t.entries[ord]
		if e.kind != kindConnector && strings.EqualFold(t.opID(ord), opID) && hasWord(t.conns[e.conn].ids, connID, false) {
			return int32(ord)
		}
	}
	return -1
}

func (t *table) docID(ord int) string {
	e := &t.entries[ord]
	if e.kind == kindConnector {
		return docIDOf(t.conns[e.conn].id, "")
	}
	return docIDOf(t.conns[e.conn].id, t.opID(ord))
}

// docIDOf is the bleve document id of a connector (opID "") or of one
// of its operations.
func docIDOf(connID, opID string) string {
	if opID == "" {
		return "c:" + connID
	}
	return "o:" + connID + "/" + opID
}

// ref points an entry back at the catalogue while building.
type ref struct {
	conn *catalog.Connector
	op   *catalog.Operation
}

// plan lays out the documents of a catalogue: the table (without document
// numbers) and the indexed texts of each entry, in rank order. It holds
// no pointer into the catalogue, so a caller that drops the catalogue
// while the index builds (an import saving it meanwhile) lets the
// collector free what the index does not need (the raw schemas).
type plan struct {
	tab  *table
	docs []document
	ids  []string // bleve document id of each entry, unique
}

func productBits(ps []catalog.Product) uint8 {
	var bits uint8
	for _, p := range ps {
		if i := productIndex(p.Name); i >= 0 {
			bits |= 1 << i
		}
	}
	return bits
}

// productIndex finds a product in catalog.Products the way
// Connector.HasProduct matches names; -1 when unknown.
func productIndex(name string) int {
	p, ok := catalog.ProductNamed(name)
	if i := slices.Index(catalog.Products, p); ok && i < 8 {
		return i
	}
	return -1
}

func tierCode(t catalog.Tier) uint8 {
	switch t {
	case catalog.TierStandard:
		return tierStandard
	case catalog.TierPremium:
		return tierPremium
	}
	return tierUnknown
}

func pubCode(k catalog.PublisherKind) uint8 {
	for i, n := range pubNames {
		if i > 0 && string(k) == n {
			return uint8(i)
		}
	}
	return pubUnknown
}

func visRank(v catalog.Visibility) int {
	switch v {
	case catalog.VisibilityImportant:
		return 0
	case catalog.VisibilityDefault:
		return 1
	case catalog.VisibilityAdvanced:
		return 2
	}
	return 3
}

// docCount is the number of documents an index of cat holds.
func docCount(cat *catalog.Catalog) int {
	n := 0
	for _, c := range cat.Connectors {
		if c != nil {
			n += 1 + countOps(c)
		}
	}
	return n
}

func countOps(c *catalog.Connector) int {
	n := 0
	for _, op := range c.Operations {
		if op != nil {
			n++
		}
	}
	return n
}

func newPlan(cat *catalog.Catalog) *plan {
	n := docCount(cat)
	p := &plan{tab: &table{fingerprint: fingerprint(cat)}}
	refs := make([]ref, 0, n)
	conns := make([]*catalog.Connector, 0, len(cat.Connectors))
	for _, c := range cat.Connectors {
		if c != nil {
			conns = append(conns, c)
		}
	}
	connIdx := make(map[*catalog.Connector]uint32, len(conns))
	for i, c := range conns {
		connIdx[c] = uint32(i)
		p.tab.conns = append(p.tab.conns, newConnInfo(c))
	}
	superseded := supersededConnectors(conns)
	lowerName := make([]string, len(conns))
	for i, c := range conns {
		lowerName[i] = strings.ToLower(c.Name)
	}
	order := make([]int, len(conns))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := order[a], order[b]
		if lowerName[x] != lowerName[y] {
			return lowerName[x] < lowerName[y]
		}
		return conns[x].ID < conns[y].ID
	})
	for _, i := range order {
		refs = append(refs, ref{conn: conns[i]})
	}
	connRank := make(map[*catalog.Connector]int, len(conns))
	for rank, i := range order {
		connRank[conns[i]] = rank
	}
	ops := make([]ref, 0, n-len(conns))
	for _, i := range order {
		for _, op := range conns[i].Operations {
			if op != nil {
				ops = append(ops, ref{conn: conns[i], op: op})
			}
		}
	}
	// Stable: equal keys keep catalogue order.
	opName := make(map[*catalog.Operation]string, len(ops))
	for _, r := range ops {
		opName[r.op] = strings.ToLower(r.op.Name)
	}
	sort.SliceStable(ops, func(a, b int) bool {
		x, y := ops[a], ops[b]
		if vx, vy := visRank(x.op.Visibility), visRank(y.op.Visibility); vx != vy {
			return vx < vy
		}
		if rx, ry := connRank[x.conn], connRank[y.conn]; rx != ry {
			return rx < ry
		}
		return opName[x.op] < opName[y.op]
	})
	refs = append(refs, ops...)

	supersededOps := map[*catalog.Operation]bool{}
	for _, c := range conns {
		supersededOperations(c, supersededOps)
	}
	seen := make(map[string]int, n)
	p.tab.entries = make([]entry, len(refs))
	texts := make([][3]string, len(refs)) // id, words, name: setOpTexts
	p.ids = make([]string, len(refs))
	p.docs = make([]document, len(refs))
	for ord, r := range refs {
		p.docs[ord] = r.document()
		c := r.conn
		e := entry{
			tier:     tierCode(c.Tier),
			pub:      pubCode(c.PublisherKind),
			products: productBits(c.Products),
			conn:     connIdx[c],
		}
		if c.Preview {
			e.flags |= flagPreview
		}
		if c.Deprecated {
			e.flags |= flagDeprecated
		}
		if superseded[c] {
			e.flags |= flagSuperseded
		}
		if r.op != nil {
			e.kind = kindAction
			if r.op.Kind == catalog.KindTrigger {
				e.kind = kindTrigger
			}
			texts[ord][0] = r.op.ID
			if r.op.Preview {
				e.flags |= flagPreview
			}
			if r.op.Deprecated {
				e.flags |= flagDeprecated
			}
			switch r.op.Visibility {
			case catalog.VisibilityInternal:
				e.flags |= flagInternal
			case catalog.VisibilityImportant:
				e.flags |= flagImportant
			case catalog.VisibilityAdvanced:
				e.flags |= flagAdvanced
			}
			if supersededOps[r.op] {
				e.flags |= flagSuperseded
			}
			texts[ord][1] = rankWords(r.op.Name, "", true)
			texts[ord][2] = r.op.Name
		}
		p.tab.entries[ord] = e
		// Untrusted definitions may repeat an operation id (or a
		// connector id); every operation is kept, so a repeat gets a
		// suffix in its document id only.
		id := docIDOf(p.tab.conns[e.conn].id, texts[ord][0])
		if k := seen[id]; k > 0 {
			seen[id] = k + 1
			id += "#" + strconv.Itoa(k+1)
		} else {
			seen[id] = 1
		}
		p.ids[ord] = id
	}
	p.tab.setOpTexts(texts)
	p.tab.computeStatic()
	return p
}

// fingerprint is a checksum of the catalogue's identity, so that
// OpenOrBuild notices a catalogue that changed without changing size: its
// UpdatedAt, and every id, alias, name, flag and filter field. Descriptions are
// left out (2 MB of text cost ~5 ms here, on every start): a change of
// description alone comes with a new UpdatedAt when saved, and saving
// rebuilds the index anyway.
func fingerprint(cat *catalog.Catalog) uint32 {
	tab := crc32.MakeTable(crc32.Castagnoli)
	var sum uint32
	// One buffer per connector, one checksum update each: a call per
	// field made this 6x slower.
	buf := make([]byte, 0, 64<<10)
	str := func(s string) {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	// doc writes what a connector and an operation document have alike:
	// four identity fields, then the preview and deprecated flags.
	doc := func(preview, deprecated bool, fields ...string) {
		for _, f := range fields {
			str(f)
		}
		buf = append(buf, b2u(preview), b2u(deprecated))
	}
	str(strconv.Itoa(MappingVersion))
	str(cat.UpdatedAt.UTC().Format(time.RFC3339Nano))
	for _, c := range cat.Connectors {
		if c == nil {
			continue
		}
		str(c.ID)
		for _, a := range c.Aliases {
			str(a)
		}
		str("|")
		doc(c.Preview, c.Deprecated, c.Name, c.Publisher, string(c.PublisherKind), string(c.Tier))
		for _, p := range c.Products {
			str(p.Name)
		}
		str("|")
		for _, cg := range c.Categories {
			str(cg)
		}
		str("|")
		for _, op := range c.Operations {
			if op == nil {
				continue
			}
			doc(op.Preview, op.Deprecated, op.ID, op.Name, string(op.Kind), string(op.Visibility))
		}
		str("|")
		sum = crc32.Update(sum, tab, buf)
		buf = buf[:0]
	}
	return crc32.Update(sum, tab, buf)
}

// Side table file format: magic, version, fingerprint, connectors, entries,
// then a CRC-32C of everything before it.
var tableMagic = [4]byte{'C', 'X', 'T', 'B'}

const tableFile = "connex-table.bin"

var errCorruptTable = errors.New("corrupt side table")

func (t *table) encode() []byte {
	var b []byte
	b = append(b, tableMagic[:]...)
	b = binary.BigEndian.AppendUint32(b, MappingVersion)
	b = binary.BigEndian.AppendUint32(b, t.fingerprint)
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = binary.AppendUvarint(b, uint64(len(t.conns)))
	for _, c := range t.conns {
		str(c.id)
		str(c.publisher)
		str(c.names)
		str(c.ids)
		str(c.cover)
		b = append(b, c.live, c.important)
	}
	b = binary.AppendUvarint(b, uint64(len(t.entries)))
	for i, e := range t.entries {
		b = binary.AppendUvarint(b, t.nums[i])
		b = append(b, e.kind, e.tier, e.pub, e.products, e.flags)
		b = binary.AppendUvarint(b, uint64(e.conn))
		str(t.opID(i))
		str(t.opWords(i))
		str(t.opName(i))
	}
	str(t.typoRaw)
	return binary.BigEndian.AppendUint32(b, crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
}

// maxDocs bounds the table sizes a corrupt file can make us allocate.
const maxDocs = 1 << 24

func decodeTable(data []byte) (*table, error) {
	if len(data) < 16 || !bytes.Equal(data[:4], tableMagic[:]) {
		return nil, errCorruptTable
	}
	body := data[:len(data)-4]
	if crc32.Checksum(body, crc32.MakeTable(crc32.Castagnoli)) != binary.BigEndian.Uint32(data[len(data)-4:]) {
		return nil, fmt.Errorf("%w: checksum mismatch", errCorruptTable)
	}
	if v := binary.BigEndian.Uint32(body[4:]); v != MappingVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrOutdated, v, MappingVersion)
	}
	t := &table{fingerprint: binary.BigEndian.Uint32(body[8:])}
	// One string for the whole body: ids are substrings of it, so
	// loading costs one copy instead of 15,000 allocations.
	if uint64(len(body)) > math.MaxUint32 {
		return nil, errCorruptTable // opText offsets are 32-bit
	}
	s := string(body)
	t.text = s
	pos := 12
	bad := false
	uv := func() uint64 {
		v, n := binary.Uvarint(body[pos:])
		if n <= 0 {
			bad = true
			return 0
		}
		pos += n
		return v
	}
	str := func() string {
		l := uv()
		if bad || l > uint64(len(body)-pos) {
			bad = true
			return ""
		}
		r := s[pos : pos+int(l)]
		pos += int(l)
		return r
	}
	nc := uv()
	if bad || nc > maxDocs {
		return nil, errCorruptTable
	}
	t.conns = make([]connInfo, nc)
	for i := range t.conns {
		t.conns[i] = connInfo{id: str(), publisher: str(), names: str(), ids: str(), cover: str()}
		if bad || pos+2 > len(body) {
			return nil, errCorruptTable
		}
		t.conns[i].live, t.conns[i].important = body[pos], body[pos+1]
		pos += 2
	}
	ne := uv()
	if bad || ne > maxDocs {
		return nil, errCorruptTable
	}
	t.entries = make([]entry, ne)
	t.ops = make([]opText, ne)
	t.nums = make([]uint64, ne)
	var maxNum uint64
	for i := range t.entries {
		t.nums[i] = uv()
		if bad || len(body)-pos < 5 {
			return nil, errCorruptTable
		}
		e := entry{kind: body[pos], tier: body[pos+1], pub: body[pos+2], products: body[pos+3], flags: body[pos+4]}
		pos += 5
		e.conn = uint32(uv())
		id := str()
		o := opText{off: uint32(pos - len(id)), id: uint32(len(id))}
		o.words = uint32(len(str()))
		wordsEnd := pos
		o.name = uint32(len(str()))
		// The accessors find the words and the name from the lengths:
		// each must be written as AppendUvarint writes it.
		if uint32(wordsEnd) != o.off+o.id+uvarintLen(o.words)+o.words || uint32(pos) != uint32(wordsEnd)+uvarintLen(o.name)+o.name {
			bad = true
		}
		t.ops[i] = o
		if bad || e.kind > kindTrigger || e.tier > tierPremium || e.pub > pubCustom || uint64(e.conn) >= nc || t.nums[i] >= maxDocs {
			return nil, errCorruptTable
		}
		t.entries[i] = e
		maxNum = max(maxNum, t.nums[i])
	}
	t.typoRaw = str()
	if bad || pos != len(body) {
		return nil, errCorruptTable
	}
	t.index(maxNum)
	t.computeStatic()
	return t, nil
}

// index fills byNum from nums.
func (t *table) index(maxNum uint64) {
	t.byNum = make([]int32, maxNum+1)
	for i := range t.byNum {
		t.byNum[i] = -1
	}
	for ord, n := range t.nums {
		t.byNum[n] = int32(ord)
	}
}
