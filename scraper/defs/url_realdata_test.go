package defs_test

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/scraper/defs"
)

// repack streams the tarball at p to w with its top folder renamed to
// top, as GitHub names the top folder of archive/refs/heads/<branch>.tar.gz.
func repack(w io.Writer, p, top string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	tw := tar.NewWriter(zw)
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		_, rest, _ := strings.Cut(hdr.Name, "/")
		hdr.Name = top + "/" + rest
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := io.Copy(tw, tr); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

// TestImportGitHubArchiveURLs imports both public repositories the way
// README tells a user to, from GitHub's archive URLs, served here by a
// loopback server from the shared tarballs.
func TestImportGitHubArchiveURLs(t *testing.T) {
	defsTar := realdata.Tarball(t)
	apiTar := filepath.Join(realdata.Dir(t), "powerplatform-apis.tar.gz")
	if _, err := os.Stat(apiTar); err != nil {
		t.Skipf("real data not found: %v", err)
	}
	routes := map[string][2]string{
		"/microsoft/PowerPlatformConnectors/archive/refs/heads/dev.tar.gz": {defsTar, "PowerPlatformConnectors-dev"},
		"/thnetii/microsoft-odata-csdl/archive/refs/heads/main.tar.gz":     {apiTar, "microsoft-odata-csdl-main"},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rt, ok := routes[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/x-gzip")
		if err := repack(w, rt[0], rt[1]); err != nil {
			t.Errorf("repack %s: %v", rt[0], err)
		}
	}))
	defer srv.Close()

	urls := []string{
		srv.URL + "/microsoft/PowerPlatformConnectors/archive/refs/heads/dev.tar.gz",
		srv.URL + "/thnetii/microsoft-odata-csdl/archive/refs/heads/main.tar.gz",
	}
	remote, err := defs.Import(context.Background(), urls, opts())
	if err != nil {
		t.Fatal(err)
	}
	local, err := defs.Import(context.Background(), []string{defsTar, apiTar}, opts())
	if err != nil {
		t.Fatal(err)
	}
	if remote.Files != 942+907 || len(remote.Failed) != 4 {
		t.Errorf("files %d, failed %d; want %d, 4", remote.Files, len(remote.Failed), 942+907)
	}
	// Both sources whole: the same connectors as from the local files.
	if a, b := connectorsJSON(t, remote.Catalog), connectorsJSON(t, local.Catalog); a != b {
		t.Errorf("URL import differs from the local one (%d vs %d connectors)", len(remote.Catalog.Connectors), len(local.Catalog.Connectors))
	}
	api, defsOnly := 0, 0
	for _, c := range remote.Catalog.Connectors {
		if _, ok := c.Sources[defs.SourceAPI]; ok {
			api++
		}
		if _, ok := c.Sources["definition"]; ok {
			defsOnly++
		}
	}
	if api != 907 || defsOnly != 938 {
		t.Errorf("%d connectors from the API, %d from definitions; want 907, 938", api, defsOnly)
	}
	t.Logf("%d connectors, %d operations", len(remote.Catalog.Connectors), remote.Catalog.Stats().Operations)
}
