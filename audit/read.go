package audit

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/connex-dev/connex/internal/limitio"
)

// document is one flow file read from an input, before parsing.
type document struct {
	source string // shown to users: the file, or "archive.zip:entry"
	name   string // display name from the package or solution, if known
	data   []byte
}

// readInput returns the flow documents of one input path: a .zip (solution
// or legacy package), a folder (an unpacked solution or package), or one
// JSON file (a flow definition.json, a solution's Workflows/*.json, a Logic
// Apps workflow.json).
func readInput(p string, lim Limits) ([]document, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return readFolder(p, lim)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", p)
	}
	if isZip(p) {
		return readZip(p, st.Size(), lim)
	}
	data, err := readFileCapped(p, st.Size(), lim)
	if err != nil {
		return nil, err
	}
	return []document{{source: p, data: data}}, nil
}

func isZip(p string) bool {
	if strings.EqualFold(filepath.Ext(p), ".zip") {
		return true
	}
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	var magic [4]byte
	_, err = io.ReadFull(f, magic[:])
	return err == nil && string(magic[:]) == "PK\x03\x04"
}

func readFileCapped(p string, size int64, lim Limits) ([]byte, error) {
	if size > lim.MaxEntrySize {
		return nil, fmt.Errorf("%w: %s is %s, over the %s limit for one flow file", ErrTooLarge, p, mib(size), mib(lim.MaxEntrySize))
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, over, err := limitio.ReadAll(f, lim.MaxEntrySize)
	if err != nil {
		return nil, err
	}
	if over {
		return nil, fmt.Errorf("%w: %s grew over the %s limit for one flow file while read", ErrTooLarge, p, mib(lim.MaxEntrySize))
	}
	return data, nil
}

// flowEntryKind says whether a path inside a package or solution is a flow
// definition, and of which layout.
func isFlowPath(p string) bool {
	p = strings.ReplaceAll(p, "\\", "/")
	base := strings.ToLower(path.Base(p))
	dir := strings.ToLower(path.Base(path.Dir(p)))
	switch {
	case base == "definition.json":
		// Microsoft.Flow/flows/<GUID>/definition.json in a legacy package.
		return strings.Contains(strings.ToLower(p), "microsoft.flow/flows/")
	case dir == "workflows" && strings.HasSuffix(base, ".json"):
		return true
	case base == "workflow.json":
		return true
	}
	return false
}

// readFolder walks an unpacked solution or package and reads its flow
// files. Symbolic links are not followed (WalkDir does not), so a folder
// cannot lead the walk outside itself.
func readFolder(root string, lim Limits) ([]document, error) {
	var docs []document
	seen := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		seen++
		if seen > lim.MaxFiles {
			return fmt.Errorf("%w: %s holds more than %d files; point at the solution folder itself", ErrTooLarge, root, lim.MaxFiles)
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		if !isFlowPath(filepath.ToSlash(rel)) && !isFlowPath(filepath.ToSlash(p)) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := readFileCapped(p, info.Size(), lim)
		if err != nil {
			return err
		}
		docs = append(docs, document{source: p, data: data, name: nameFromFolder(p, data)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%w in %s (looked for Workflows/*.json, Microsoft.Flow/flows/*/definition.json and workflow.json)", ErrNotFlow, root)
	}
	return docs, nil
}

// nameFromFolder names a flow of an unpacked package from the package's
// manifest.json (two folders up), when there is one.
func nameFromFolder(p string, _ []byte) string {
	if !strings.EqualFold(filepath.Base(p), "definition.json") {
		return ""
	}
	id := filepath.Base(filepath.Dir(p))
	man := filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(p)))), "manifest.json")
	st, err := os.Stat(man)
	if err != nil || st.Size() > 1<<20 {
		return ""
	}
	data, err := os.ReadFile(man)
	if err != nil {
		return ""
	}
	return packageNames(data)[id]
}

// packageNames maps a legacy package's flow ids to their display names,
// from its manifest.json.
func packageNames(data []byte) map[string]string {
	var m struct {
		Resources map[string]struct {
			Type    string `json:"type"`
			Details struct {
				DisplayName string `json:"displayName"`
			} `json:"details"`
		} `json:"resources"`
	}
	if json.Unmarshal(trimBOM(data), &m) != nil {
		return nil
	}
	out := map[string]string{}
	for id, r := range m.Resources {
		if strings.EqualFold(r.Type, "Microsoft.Flow/flows") && r.Details.DisplayName != "" {
			out[strings.ToLower(id)] = r.Details.DisplayName
		}
	}
	return out
}

// solutionNames maps a solution's workflow file names (lower case, no
// leading slash) to the flows' names, from customizations.xml.
func solutionNames(data []byte) map[string]string {
	out := map[string]string{}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	var name string
	inFile := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "Workflow":
				name = ""
				for _, a := range t.Attr {
					if a.Name.Local == "Name" {
						name = a.Value
					}
				}
			case "JsonFileName":
				inFile = true
			}
		case xml.EndElement:
			if t.Name.Local == "JsonFileName" {
				inFile = false
			}
		case xml.CharData:
			if inFile && name != "" {
				f := strings.ToLower(strings.TrimLeft(strings.TrimSpace(string(t)), "/\\"))
				out[strings.ReplaceAll(f, "\\", "/")] = name
			}
		}
	}
}

// checkEntryName refuses names that would leave the archive if it were
// extracted: absolute paths, drive letters, ".." elements, backslashes
// that Windows treats as separators. Nothing is extracted here, but such
// a name is never produced by a real export, so the archive is refused.
func checkEntryName(name string) error {
	if name == "" || strings.ContainsRune(name, 0) {
		return fmt.Errorf("%w: empty or NUL in an entry name", ErrUnsafePath)
	}
	n := strings.ReplaceAll(name, "\\", "/")
	if strings.HasPrefix(n, "/") || (len(n) >= 2 && n[1] == ':') {
		return fmt.Errorf("%w: %q is an absolute path", ErrUnsafePath, name)
	}
	for _, el := range strings.Split(n, "/") {
		if el == ".." {
			return fmt.Errorf("%w: %q climbs out of the archive", ErrUnsafePath, name)
		}
	}
	return nil
}

// zipEntryCount reads the entry count from the end-of-central-directory
// record (or its zip64 form) without loading the directory, so an archive
// that lists millions of entries is refused before it costs memory.
func zipEntryCount(r io.ReaderAt, size int64) (uint64, error) {
	const eocdLen = 22
	if size < eocdLen {
		return 0, errors.New("not a zip archive (too short)")
	}
	tail := int64(eocdLen + 65535)
	if tail > size {
		tail = size
	}
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return 0, err
	}
	i := bytes.LastIndex(buf, []byte("PK\x05\x06"))
	if i < 0 || len(buf)-i < eocdLen {
		return 0, errors.New("not a zip archive (no end of central directory)")
	}
	n := uint64(binary.LittleEndian.Uint16(buf[i+10:]))
	if n != 0xFFFF {
		return n, nil
	}
	// Zip64: the locator sits just before the record and points at the
	// zip64 end record, which holds the 64-bit count.
	if i < 20 || string(buf[i-20:i-16]) != "PK\x06\x07" {
		return 0, errors.New("zip64 archive without a locator")
	}
	off := int64(binary.LittleEndian.Uint64(buf[i-20+8:]))
	if off < 0 || off+56 > size {
		return 0, errors.New("zip64 end record out of range")
	}
	rec := make([]byte, 56)
	if _, err := r.ReadAt(rec, off); err != nil {
		return 0, err
	}
	if string(rec[:4]) != "PK\x06\x06" {
		return 0, errors.New("bad zip64 end record")
	}
	return binary.LittleEndian.Uint64(rec[32:]), nil
}

// readZip reads the flow entries of a solution or legacy package export.
func readZip(p string, size int64, lim Limits) ([]document, error) {
	if size > lim.MaxArchiveSize {
		return nil, fmt.Errorf("%w: %s is %s, over the %s limit for an archive (a flow export is kilobytes)", ErrTooLarge, p, mib(size), mib(lim.MaxArchiveSize))
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	n, err := zipEntryCount(f, size)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	if n > uint64(lim.MaxEntries) {
		return nil, fmt.Errorf("%w: %s lists %d entries, over the limit of %d", ErrTooLarge, p, n, lim.MaxEntries)
	}
	zr, err := zip.NewReader(f, size)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	var flows []*zip.File
	var manifest, customizations *zip.File
	for _, zf := range zr.File {
		if err := checkEntryName(zf.Name); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		name := strings.ReplaceAll(zf.Name, "\\", "/")
		switch {
		case strings.EqualFold(name, "manifest.json"):
			manifest = zf
		case strings.EqualFold(name, "customizations.xml"):
			customizations = zf
		case !zf.FileInfo().IsDir() && isFlowPath(name):
			flows = append(flows, zf)
		}
	}
	if len(flows) == 0 {
		return nil, fmt.Errorf("%w in %s (a solution has Workflows/*.json, a package Microsoft.Flow/flows/*/definition.json)", ErrNotFlow, p)
	}
	var total int64
	read := func(zf *zip.File) ([]byte, error) {
		data, err := readEntry(zf, lim, lim.MaxTotalSize-total)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", p, zf.Name, err)
		}
		total += int64(len(data))
		return data, nil
	}
	var pkgNames, solNames map[string]string
	if manifest != nil {
		if data, err := read(manifest); err == nil {
			pkgNames = packageNames(data)
		} else {
			return nil, err
		}
	}
	if customizations != nil {
		if data, err := read(customizations); err == nil {
			solNames = solutionNames(data)
		} else {
			return nil, err
		}
	}
	sort.Slice(flows, func(i, j int) bool { return flows[i].Name < flows[j].Name })
	docs := make([]document, 0, len(flows))
	for _, zf := range flows {
		data, err := read(zf)
		if err != nil {
			return nil, err
		}
		name := strings.ReplaceAll(zf.Name, "\\", "/")
		d := document{source: p + ":" + name, data: data}
		if solNames != nil {
			d.name = solNames[strings.ToLower(name)]
		}
		if d.name == "" && pkgNames != nil {
			d.name = pkgNames[strings.ToLower(path.Base(path.Dir(name)))]
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// readEntry decompresses one entry within the limits. The declared sizes
// are checked first (cheap), then the real ones while reading, because a
// hostile header can lie; archive/zip itself also refuses an entry that
// decompresses past its declared size.
func readEntry(zf *zip.File, lim Limits, budget int64) ([]byte, error) {
	max := lim.MaxEntrySize
	if budget < max {
		max = budget
	}
	if max <= 0 {
		return nil, fmt.Errorf("%w: the archive decompresses to more than %s in all", ErrTooLarge, mib(lim.MaxTotalSize))
	}
	if zf.UncompressedSize64 > uint64(lim.MaxEntrySize) {
		return nil, fmt.Errorf("%w: entry is %s decompressed, over the %s limit", ErrTooLarge, mib(int64(zf.UncompressedSize64)), mib(lim.MaxEntrySize))
	}
	if zf.UncompressedSize64 > uint64(max) {
		return nil, fmt.Errorf("%w: the archive decompresses to more than %s in all", ErrTooLarge, mib(lim.MaxTotalSize))
	}
	if err := checkRatio(int64(zf.UncompressedSize64), int64(zf.CompressedSize64), lim); err != nil {
		return nil, err
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, over, err := limitio.ReadAll(rc, max)
	if errors.Is(err, zip.ErrFormat) || errors.Is(err, zip.ErrChecksum) {
		return nil, fmt.Errorf("entry does not match its header (corrupt or hostile archive): %w", err)
	}
	if err != nil {
		return nil, err
	}
	if over {
		return nil, fmt.Errorf("%w: entry decompresses past %s", ErrTooLarge, mib(max))
	}
	if err := checkRatio(int64(len(data)), int64(zf.CompressedSize64), lim); err != nil {
		return nil, err
	}
	return data, nil
}

func checkRatio(plain, packed int64, lim Limits) error {
	if plain <= lim.RatioFloor {
		return nil
	}
	if packed <= 0 || plain/packed > lim.MaxRatio {
		return fmt.Errorf("%w: %s from %d bytes, over %d:1", ErrZipBomb, mib(plain), packed, lim.MaxRatio)
	}
	return nil
}

func trimBOM(b []byte) []byte { return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")) }
