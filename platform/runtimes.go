package platform

import (
	"context"
	"path/filepath"
	"time"
)

// runtimesFile keeps the runtime URLs RuntimeURL learnt, in the client's
// CacheDir.
const runtimesFile = "runtimes.json"

// runtimeTTL is how long a learnt runtime URL is used without asking
// again. A connector's runtime is its environment region's API Management
// host (https://<region>.azure-apim.net/apim/<id>), which does not move
// between calls; a week bounds how long a moved one would be missed.
const runtimeTTL = 7 * 24 * time.Hour

// maxRuntimes bounds the file: the oldest entries go first.
const maxRuntimes = 500

type runtimeEntry struct {
	URL string    `json:"url"`
	At  time.Time `json:"at"`
}

type runtimesDoc struct {
	Version int `json:"version"`
	// Runtimes by "<Power Apps endpoint> <environment> <connector id>".
	Runtimes map[string]runtimeEntry `json:"runtimes"`
}

// RuntimeURL returns connector id's runtime URL in environment env: where
// calls through one of the user's connections go. The Power Apps API
// gives it only with the connector's whole definition (430 KB for
// SharePoint), and each `connex call --connection` is a process of its
// own; so with a CacheDir the answer is kept for a week and a later call
// asks nothing. The URL is checked again (checkRuntimeURL) by Prepare
// before any token is sent to it, wherever it came from.
func (c *Client) RuntimeURL(ctx context.Context, env, id string) (string, error) {
	key := c.endpoints.PowerApps + " " + env + " " + id
	var doc runtimesDoc
	path := ""
	if c.cacheDir != "" {
		path = filepath.Join(c.cacheDir, runtimesFile)
		// An unreadable cache is only a missed shortcut: it is
		// rewritten below.
		if readJSONFile(path, &doc) != nil || doc.Version != 1 {
			doc = runtimesDoc{}
		}
		if e, ok := doc.Runtimes[key]; ok && e.URL != "" && c.now().Sub(e.At) < runtimeTTL && !e.At.After(c.now()) {
			return e.URL, nil
		}
	}
	api, err := c.API(ctx, env, id)
	if err != nil {
		return "", err
	}
	if path != "" && api.PrimaryRuntimeURL != "" {
		if _, err := c.checkRuntimeURL(api.PrimaryRuntimeURL); err == nil {
			doc.remember(key, api.PrimaryRuntimeURL, c.now())
			_ = writeJSONFile(path, doc) // best effort, as a cache
		}
	}
	return api.PrimaryRuntimeURL, nil
}

// remember records url under key, dropping expired entries and, past
// maxRuntimes, the oldest.
func (d *runtimesDoc) remember(key, url string, now time.Time) {
	d.Version = 1
	if d.Runtimes == nil {
		d.Runtimes = map[string]runtimeEntry{}
	}
	for k, e := range d.Runtimes {
		if now.Sub(e.At) >= runtimeTTL || e.At.After(now) {
			delete(d.Runtimes, k)
		}
	}
	for len(d.Runtimes) >= maxRuntimes {
		oldest := ""
		for k, e := range d.Runtimes {
			if oldest == "" || e.At.Before(d.Runtimes[oldest].At) {
				oldest = k
			}
		}
		delete(d.Runtimes, oldest)
	}
	d.Runtimes[key] = runtimeEntry{URL: url, At: now}
}
