package crawl

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// pageCache is the on-disk page cache: one file per URL, named by the
// SHA-256 of the URL (never URL text), holding a JSON header line with the
// validators, then the body. Files are replaced atomically.
type pageCache struct{ dir string }

type cacheMeta struct {
	URL          string    `json:"url"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	FetchedAt    time.Time `json:"fetched_at"` // when this body was downloaded
	Size         int       `json:"size"`
}

func (c *pageCache) path(u string) string {
	sum := sha256.Sum256([]byte(u))
	return filepath.Join(c.dir, hex.EncodeToString(sum[:]))
}

// meta reads only the header of a cached page; nil when absent or damaged.
func (c *pageCache) meta(u string) *cacheMeta {
	if c == nil {
		return nil
	}
	f, err := os.Open(c.path(u))
	if err != nil {
		return nil
	}
	defer f.Close()
	line, err := bufio.NewReaderSize(f, 4096).ReadBytes('\n')
	if err != nil {
		return nil
	}
	var m cacheMeta
	if json.Unmarshal(line, &m) != nil || m.URL != u {
		return nil
	}
	return &m
}

// body reads a cached page's body, checking it against its header.
func (c *pageCache) body(u string) ([]byte, *cacheMeta, error) {
	if c == nil {
		return nil, nil, errors.New("page cache: none configured")
	}
	data, err := os.ReadFile(c.path(u))
	if err != nil {
		return nil, nil, fmt.Errorf("page cache: %w", err)
	}
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		return nil, nil, fmt.Errorf("page cache %s: no header", c.path(u))
	}
	var m cacheMeta
	if err := json.Unmarshal(data[:i], &m); err != nil || m.URL != u || m.Size != len(data)-i-1 {
		return nil, nil, fmt.Errorf("page cache %s: damaged entry (delete it to refetch)", c.path(u))
	}
	return data[i+1:], &m, nil
}

func (c *pageCache) store(m *cacheMeta, body []byte) error {
	if c == nil {
		return nil
	}
	m.Size = len(body)
	head, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return fmt.Errorf("page cache: %w", err)
	}
	buf := make([]byte, 0, len(head)+1+len(body))
	buf = append(append(append(buf, head...), '\n'), body...)
	if err := writeFile(c.path(m.URL), buf); err != nil {
		return fmt.Errorf("page cache: %w", err)
	}
	return nil
}

// progressState is the progress of a crawl, saved so that an interrupted one
// (Ctrl-C, kill -9) resumes: pages listed as done are not requested again,
// their bodies come from the page cache.
type progressState struct {
	Version int             `json:"version"`
	BaseURL string          `json:"base_url"`
	Started time.Time       `json:"started"`
	Done    map[string]bool `json:"done"`
}

const stateVersion = 1

// stateMaxAge: progress older than this is stale; start over.
const stateMaxAge = 24 * time.Hour

type stateFile struct {
	path string
	mu   sync.Mutex
	st   progressState
	// dirty counts pages done since the last save, at savedAt.
	dirty   int
	savedAt time.Time
}

// openState loads the saved progress for base, or starts afresh when
// there is none, it is for another site, or it is stale.
func openState(path, base string, now time.Time) (*stateFile, int) {
	s := &stateFile{path: path, st: progressState{Version: stateVersion, BaseURL: base, Started: now, Done: map[string]bool{}}}
	if path == "" {
		return s, 0
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return s, 0
	}
	var old progressState
	if json.Unmarshal(data, &old) != nil || old.Version != stateVersion || old.BaseURL != base ||
		now.Sub(old.Started) > stateMaxAge || old.Done == nil {
		return s, 0
	}
	s.st = old
	return s, len(old.Done)
}

func (s *stateFile) done(u string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.Done[u]
}

// markDone records a page and saves every few pages: a kill -9 loses at
// most those, which are then simply requested again. Saves are also spaced
// in time, because each rewrites the whole record: at politeness delays 20
// pages take seconds, but an all-304 run answers hundreds a second and
// would spend a third of its time saving.
func (s *stateFile) markDone(u string) error {
	s.mu.Lock()
	s.st.Done[u] = true
	s.dirty++
	save := s.dirty >= 200 || (s.dirty >= 20 && time.Since(s.savedAt) >= 250*time.Millisecond)
	s.mu.Unlock()
	if save {
		return s.save()
	}
	return nil
}

func (s *stateFile) save() error {
	if s.path == "" {
		return nil
	}
	s.mu.Lock()
	data, err := json.Marshal(s.st)
	s.dirty, s.savedAt = 0, time.Now()
	s.mu.Unlock()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o755); err != nil {
		return fmt.Errorf("refresh state: %w", err)
	}
	if err := writeFile(s.path, data); err != nil {
		return fmt.Errorf("refresh state: %w", err)
	}
	return nil
}

// finish removes the progress file: the crawl is complete.
func (s *stateFile) finish() error {
	if s.path == "" {
		return nil
	}
	if err := os.Remove(s.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("refresh state: %w", err)
	}
	return nil
}

// writeFile replaces path atomically: a temporary file in the same
// folder, then a rename, so a reader sees the old file or the new one.
// Unlike renameio it does not fsync: these files are a cache and a
// progress note, each checked when read (the cache's header gives the body
// size, the state must parse), so a file emptied by a crash is simply
// fetched again. Skipping the fsync halves the time of a full crawl; the
// catalogue itself is still written with renameio.
func writeFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(f.Name(), path)
	}
	if werr != nil {
		os.Remove(f.Name())
	}
	return werr
}
