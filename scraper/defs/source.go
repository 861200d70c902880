package defs

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/connex-dev/connex/internal/limitio"
	"github.com/connex-dev/connex/scraper/site"

	// klauspost's gzip inflates the definitions archive about 40% faster
	// than compress/gzip, a third of the import's time.
	"github.com/klauspost/compress/gzip"
)

// partialError says a source was read only in part (a truncated
// archive, a cap reached): what was read before is kept.
type partialError struct{ err error }

func (e *partialError) Error() string { return e.err.Error() }
func (e *partialError) Unwrap() error { return e.err }

// readSource calls emit for every wanted file of one source, in the
// source's order.
func readSource(ctx context.Context, src string, client *http.Client, emit func(file) error) error {
	low := strings.ToLower(src)
	if strings.HasPrefix(low, "http://") || strings.HasPrefix(low, "https://") {
		return readURL(ctx, src, client, emit)
	}
	st, err := os.Stat(src)
	if err != nil {
		return fmt.Errorf("%w %s: %w", ErrBadSource, src, err)
	}
	// Opening a FIFO blocks until a writer comes (and ignores signals
	// meanwhile); a device never ends: only files and folders are read.
	if !st.Mode().IsRegular() && !st.IsDir() {
		return fmt.Errorf("%w %s: not a regular file or a directory (%s)", ErrBadSource, src, st.Mode().Type())
	}
	if st.IsDir() {
		return readDir(ctx, src, emit)
	}
	if kindOf(src) == kindSwagger {
		return readOneFile(src, emit)
	}
	if strings.HasSuffix(low, ".json") {
		return readReplyFile(ctx, src, emit)
	}
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("%w %s: %w", ErrBadSource, src, err)
	}
	defer f.Close()
	return readArchive(ctx, src, f, emit)
}

// readDir walks a directory. Logical paths start with the
// directory's name, and with its parent's when that is a group folder, so
// that a connector folder given alone still shows its group
// ("certified-connectors/Foo/...").
func readDir(ctx context.Context, root string, emit func(file) error) error {
	abs, err := filepath.Abs(root)
	if err != nil {
		return fmt.Errorf("%w %s: %w", ErrBadSource, root, err)
	}
	prefix := filepath.Base(abs)
	if parent := filepath.Base(filepath.Dir(abs)); groups[parent] != "" {
		prefix = parent + "/" + prefix
	}
	return filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			if p == abs {
				return fmt.Errorf("%w %s: %w", ErrBadSource, root, err)
			}
			return nil // an unreadable sub-folder: skip it
		}
		if d.IsDir() {
			if n := d.Name(); p != abs && (n == ".git" || n == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(abs, p)
		if err != nil {
			return nil
		}
		logical := prefix + "/" + filepath.ToSlash(rel)
		if kindOf(logical) == kindOther {
			return nil
		}
		f := file{path: logical}
		f.data, f.err = readFileCapped(p)
		if err := emit(f); err != nil {
			return err
		}
		return nil
	})
}

// readOneFile reads a swagger file given alone, with its folder's
// apiProperties.json and readme, as if its folder had been given.
func readOneFile(src string, emit func(file) error) error {
	abs, err := filepath.Abs(src)
	if err != nil {
		return fmt.Errorf("%w %s: %w", ErrBadSource, src, err)
	}
	dir := filepath.Dir(abs)
	prefix := filepath.Base(dir)
	if parent := filepath.Base(filepath.Dir(dir)); groups[parent] != "" {
		prefix = parent + "/" + prefix
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		kind := kindOf(e.Name())
		if !e.Type().IsRegular() || kind == kindOther || (kind == kindSwagger && p != abs) {
			continue
		}
		f := file{path: prefix + "/" + e.Name()}
		f.data, f.err = readFileCapped(p)
		if err := emit(f); err != nil {
			return err
		}
	}
	return nil
}

// readReplyFile reads one Power Platform API reply given alone (its
// swagger inline, or beside it as swagger.json in a shared_<id> folder).
func readReplyFile(ctx context.Context, src string, emit func(file) error) error {
	abs, err := filepath.Abs(src)
	if err != nil {
		return fmt.Errorf("%w %s: %w", ErrBadSource, src, err)
	}
	dir := filepath.Dir(abs)
	logical := filepath.Base(dir) + "/" + filepath.Base(abs)
	if kindOf(logical) == kindAPIReply {
		// api.json of the API layout: read its folder.
		return readDir(ctx, dir, emit)
	}
	f := file{path: filepath.Base(abs), reply: true}
	f.data, f.err = readFileCapped(abs)
	if f.err != nil {
		return fmt.Errorf("%w %s: %w", ErrBadSource, src, f.err)
	}
	if err := emit(f); err != nil {
		return err
	}
	return nil
}

func readFileCapped(p string) ([]byte, error) {
	fh, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > MaxFileSize {
		return nil, tooLarge(st.Size())
	}
	data, err := io.ReadAll(io.LimitReader(fh, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, tooLarge(int64(len(data)))
	}
	return data, nil
}

// readArchive streams a tar archive, gzip-compressed or not.
func readArchive(ctx context.Context, name string, r io.Reader, emit func(file) error) error {
	br := bufio.NewReaderSize(r, 1<<16)
	magic, _ := br.Peek(2)
	var in io.Reader = br
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return fmt.Errorf("%w %s: not a gzip file: %w", ErrBadSource, name, err)
		}
		defer zr.Close()
		in = zr
	}
	tr := tar.NewReader(in)
	var total int64
	entries := 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			if entries == 0 {
				return fmt.Errorf("%w %s: empty archive", ErrBadSource, name)
			}
			return nil
		}
		if err != nil {
			if entries == 0 {
				return fmt.Errorf("%w %s: not a tar or .tar.gz archive, nor a directory: %w", ErrBadSource, name, err)
			}
			return &partialError{fmt.Errorf("%s: archive is damaged after %d entries (truncated download?): %w", name, entries, err)}
		}
		entries++
		if entries > MaxArchiveEntries {
			return fmt.Errorf("%w: %s has more than %d entries; refused", ErrTooLarge, name, MaxArchiveEntries)
		}
		if hdr.Typeflag != tar.TypeReg {
			continue // links, devices, folders
		}
		total += hdr.Size
		if total > MaxArchiveSize {
			return fmt.Errorf("%w: %s expands to more than %d MiB; refused", ErrTooLarge, name, MaxArchiveSize>>20)
		}
		logical, ok := cleanEntry(hdr.Name)
		if !ok || kindOf(logical) == kindOther {
			continue
		}
		f := file{path: logical}
		if hdr.Size > MaxFileSize {
			f.err = tooLarge(hdr.Size)
		} else {
			f.data = getBuf(int(hdr.Size))
			f.buf = f.data
			if _, err := io.ReadFull(tr, f.data); err != nil {
				return &partialError{fmt.Errorf("%s: archive is damaged at %s (truncated download?): %w", name, hdr.Name, err)}
			}
		}
		if err := emit(f); err != nil {
			return err
		}
	}
}

// cleanEntry refuses entry names that climb out of the archive and
// makes the rest relative and slash-separated.
func cleanEntry(name string) (string, bool) {
	name = strings.ReplaceAll(name, "\\", "/")
	for _, part := range strings.Split(name, "/") {
		if part == ".." {
			return "", false
		}
	}
	name = strings.TrimLeft(path.Clean("/"+name), "/")
	return name, name != "" && name != "."
}

func defaultClient() *http.Client {
	return &http.Client{
		Timeout: 10 * time.Minute,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 15 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   15 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
			IdleConnTimeout:       30 * time.Second,
		},
	}
}

var errDownloadTooLarge = errors.New("download too large")

// cappedReader fails once more than n bytes were read.
type cappedReader struct {
	r io.Reader
	n int64
}

func (c *cappedReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n -= int64(n)
	if c.n < 0 {
		return n, fmt.Errorf("%w: over %d MiB", errDownloadTooLarge, MaxDownloadSize>>20)
	}
	return n, err
}

// get sends a GET for a source's URL and returns the response when it is
// 200 OK (the caller closes its body); any other answer is an error naming
// the source.
func get(ctx context.Context, url string, client *http.Client) (*http.Response, error) {
	if client == nil {
		client = defaultClient()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("%w %s: %w", ErrBadSource, url, err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%w %s: %w", ErrBadSource, url, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("%w %s: HTTP %s", ErrBadSource, url, resp.Status)
	}
	return resp, nil
}

// readURL streams a tarball from an http(s) URL, within a size cap.
func readURL(ctx context.Context, url string, client *http.Client, emit func(file) error) error {
	resp, err := get(ctx, url, client)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.ContentLength > MaxDownloadSize {
		return fmt.Errorf("%w %s: %d MiB, over the %d MiB download limit", ErrBadSource, url, resp.ContentLength>>20, MaxDownloadSize>>20)
	}
	return readArchive(ctx, url, &cappedReader{r: resp.Body, n: MaxDownloadSize}, emit)
}

// listFile returns the content of src when it may be a connector list: a
// local regular file (never a FIFO or a device, which could block or
// never end) holding a JSON object, within site.MaxListBytes. A larger
// file is a list only when its start says so (site.LooksLikeList): then it
// is refused with an error; otherwise it is left to the other readers.
func listFile(src string) (data []byte, maybe bool, err error) {
	low := strings.ToLower(src)
	if strings.HasPrefix(low, "http://") || strings.HasPrefix(low, "https://") {
		return nil, false, nil
	}
	st, err := os.Stat(src)
	if err != nil || !st.Mode().IsRegular() {
		return nil, false, nil
	}
	fh, err := os.Open(src)
	if err != nil {
		return nil, false, nil
	}
	defer fh.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(fh, head)
	head = head[:n]
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\ufeff")), " \t\r\n")
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, false, nil // not JSON: an archive, a readme...
	}
	tooLarge := func() ([]byte, bool, error) {
		if site.LooksLikeList(head) {
			return nil, true, listTooLarge(src)
		}
		return nil, false, nil
	}
	if st.Size() > site.MaxListBytes {
		return tooLarge()
	}
	rest, over, err := limitio.ReadAll(fh, site.MaxListBytes-int64(n))
	switch {
	case err != nil:
		return nil, false, nil // unreadable: the other readers say why
	case over:
		return tooLarge() // it grew while it was read
	}
	return append(head, rest...), true, nil
}

// listURL fetches src when it is an http(s) URL to a .json document: the
// connector list as published (a capture of the list page), within
// site.MaxListBytes. Any other URL is left to readURL (a tarball).
func listURL(ctx context.Context, src string, client *http.Client) (data []byte, maybe bool, err error) {
	u, err := url.Parse(src)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.HasSuffix(strings.ToLower(u.Path), ".json") {
		return nil, false, nil
	}
	resp, err := get(ctx, src, client)
	if err != nil {
		return nil, true, err
	}
	defer resp.Body.Close()
	if resp.ContentLength > site.MaxListBytes {
		return nil, true, listTooLarge(src)
	}
	data, over, err := limitio.ReadAll(resp.Body, site.MaxListBytes)
	switch {
	case err != nil:
		return nil, true, fmt.Errorf("%w %s: %w", ErrBadSource, src, err)
	case over:
		return nil, true, listTooLarge(src)
	}
	return data, true, nil
}

// listTooLarge is the error of a connector list over site.MaxListBytes.
func listTooLarge(src string) error {
	return fmt.Errorf("%w %s: %w: over the %d MiB limit", ErrBadSource, src, site.ErrListTooLarge, site.MaxListBytes>>20)
}
