package catalog

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/google/renameio/v2"
)

// SnapshotVersion is the format version written by this build. Bump it when
// the model changes incompatibly; Load refuses newer versions untouched and
// MigrateIfNeeded keeps a backup of older ones.
const SnapshotVersion uint32 = 2

// SnapshotFile is the snapshot's file name inside the data folder.
const SnapshotFile = "catalog.snap"

// headerSize: magic, version, 4 reserved bytes, structure length, blob
// section length. There is no checksum: snapshots are only ever replaced
// by rename, so a torn write cannot happen, and the lengths catch a
// truncated copy.
const headerSize = 8 + 4 + 4 + 8 + 8

// magic starts every snapshot so a stray file is never mistaken for one.
var magic = [8]byte{'C', 'O', 'N', 'N', 'E', 'X', 0, 1}

// Save writes the catalogue to path atomically: a temporary file in the same
// folder, synced, then renamed over the old one. A crash leaves either the
// old snapshot or the new one, never a mix.
func Save(path string, c *Catalog) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("save catalogue: %w", err)
	}
	// The structure is written as it is encoded, then the schemas
	// straight from the catalogue, then the header, which needs both
	// lengths: no buffer ever holds the whole file (the structure of the
	// full catalogue is ~15 MiB, its schemas ~27 MiB).
	t, err := renameio.NewPendingFile(path, renameio.WithPermissions(0o644), renameio.WithExistingPermissions(), renameio.WithTempDir(filepath.Dir(path)))
	if err != nil {
		return fmt.Errorf("save catalogue %s: %w", path, err)
	}
	defer t.Cleanup()
	bw := bufio.NewWriterSize(t, 1<<20)
	var head [headerSize]byte
	bw.Write(head[:])
	e := encoder{buf: make([]byte, 0, 512<<10), w: bw}
	encodeCatalog(&e, c)
	e.flush()
	for _, b := range e.blobs {
		bw.Write(b)
	}
	copy(head[:], magic[:])
	binary.BigEndian.PutUint32(head[8:], SnapshotVersion)
	binary.BigEndian.PutUint64(head[16:], uint64(e.written))
	binary.BigEndian.PutUint64(head[24:], uint64(e.blobLen))
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("save catalogue %s: %w", path, err)
	}
	if _, err := t.WriteAt(head[:], 0); err != nil {
		return fmt.Errorf("save catalogue %s: %w", path, err)
	}
	if err := t.CloseAtomicallyReplace(); err != nil {
		return fmt.Errorf("save catalogue %s: %w", path, err)
	}
	return nil
}

// Load reads a snapshot. Strings and raw schemas of the result share one
// buffer with the file content: treat them as read-only.
//
// Load reads a snapshot. A missing file gives ErrNoCatalog; a snapshot of a
// newer format gives ErrNewerVersion and is left as it is.
func Load(path string) (*Catalog, error) {
	data, err := readSnapshot(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("load catalogue %s: %w", path, ErrNoCatalog)
	}
	if err != nil {
		return nil, fmt.Errorf("load catalogue: %w", err)
	}
	version, err := readHeader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("load catalogue %s: %w", path, err)
	}
	if version > SnapshotVersion {
		return nil, fmt.Errorf("load catalogue %s: format %d, this connex reads up to %d: %w (upgrade connex)",
			path, version, SnapshotVersion, ErrNewerVersion)
	}
	if len(data) < headerSize {
		return nil, fmt.Errorf("load catalogue %s: %w: short header", path, ErrCorruptSnapshot)
	}
	structLen, blobLen := binary.BigEndian.Uint64(data[16:]), binary.BigEndian.Uint64(data[24:])
	if have := uint64(len(data) - headerSize); structLen > have || blobLen != have-structLen {
		return nil, fmt.Errorf("load catalogue %s: %w: %d bytes, header says %d (truncated?)",
			path, ErrCorruptSnapshot, have, structLen+blobLen)
	}
	body := data[headerSize : headerSize+structLen]
	d := decoder{buf: body, blobs: data[headerSize+structLen:]}
	c := decodeCatalog(&d)
	if d.err == nil && d.pos != len(body) {
		d.err = errCodec
	}
	if d.err != nil {
		return nil, fmt.Errorf("load catalogue %s: %w: %v", path, ErrCorruptSnapshot, d.err)
	}
	c.Reindex()
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
	if err := renameio.WriteFile(backup, data, 0o644, renameio.WithTempDir(filepath.Dir(backup))); err != nil {
		return "", fmt.Errorf("back up %s: %w", path, err)
	}
	return backup, nil
}
