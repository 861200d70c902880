package platform

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// maxParallelFetches bounds the definition fetches of an environment
// import: polite to the service, and a bounded amount of replies in memory.
const maxParallelFetches = 4

// FetchEnvironment writes the full reply (swagger inline) of every
// connector environment env can use, custom ones included, under
// dir/apis/shared_<id>/api.json: the layout the importer reads. progress,
// when set, is called after each connector with the number done and the
// total. A connector whose reply cannot be fetched is reported in the
// returned failures, and the rest is still written.
func (c *Client) FetchEnvironment(ctx context.Context, env, dir string, progress func(done, total int)) (written int, failures []error, err error) {
	list, err := c.APIs(ctx, env)
	if err != nil {
		return 0, nil, err
	}
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		sem  = make(chan struct{}, maxParallelFetches)
		done int
	)
	for _, a := range list {
		if !connectionIDRe.MatchString(a.Name) {
			mu.Lock()
			failures = append(failures, fmt.Errorf("connector name %q is not a name: skipped", a.Name))
			mu.Unlock()
			continue
		}
		wg.Add(1)
		go func(a APISummary) {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			api, err := c.API(ctx, env, a.ID)
			if err == nil {
				folder := filepath.Join(dir, "apis", a.Name)
				if err = os.MkdirAll(folder, 0o755); err == nil {
					err = os.WriteFile(filepath.Join(folder, "api.json"), api.Reply, 0o644)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failures = append(failures, err)
			} else {
				written++
			}
			done++
			if progress != nil {
				progress(done, len(list))
			}
		}(a)
	}
	wg.Wait()
	if ctx.Err() != nil {
		return written, failures, ctx.Err()
	}
	return written, failures, nil
}
