package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/pkg/browser"

	"github.com/connex-dev/connex/audit"
	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	usecase "github.com/connex-dev/connex/internal/app"
	"github.com/connex-dev/connex/platform"
	"github.com/connex-dev/connex/scraper/crawl"
	"github.com/connex-dev/connex/secrets"
	"github.com/connex-dev/connex/tui"
	"github.com/connex-dev/connex/tui/clipboard"
)

func init() { runTUI = tuiRun }

// tuiRun opens the explorer. The catalogue and index are loaded by the TUI
// in a command after its first frame, so the screen appears at once.
func tuiRun(a *app) error {
	if !isTerminal(a.stdout) {
		return errors.New("the explorer needs a terminal; for scripts use `connex search` or `connex show`")
	}
	// The explorer owns the terminal: library log lines would draw over
	// it.
	defer usecase.RouteLibraryLog(nil)()
	return tui.Run(a.ctx, tuiOptions(a))
}

// tuiOptions wires the explorer to the data folder, the secrets, the
// history and the Power Platform sign-in.
func tuiOptions(a *app) tui.Options {
	opts := tui.Options{
		// The snapshot opened for random access: the explorer decodes a
		// connector when it shows it (issue 11).
		LoadSnapshot: func(ctx context.Context) (*catalog.Snapshot, tui.Searcher, error) {
			return tuiLoadSnapshot(a)
		},
		ImportReport: func(ctx context.Context, path string, progress func(int, int, string)) (tui.ImportReport, error) {
			return tuiImport(a, ctx, path, progress)
		},
		RefreshPlan: func() tui.RefreshPlan {
			return tui.RefreshPlan{Site: fmt.Sprintf(crawl.DefaultSiteBase, "en-us"), Delay: crawl.DefaultDelay, Concurrency: crawl.DefaultConcurrency}
		},
		Refresh: func(ctx context.Context, progress func(int, int, string)) error {
			return tuiRefresh(a, ctx, progress, usecase.RefreshOptions{})
		},
		OpenURL: tuiOpenURL,
		Copy:    clipboard.Default().Copy,
		Now:     time.Now,
	}
	// Test calls: the same auth profiles and history as `connex call`.
	// Opening them touches no file; the form reads them in commands.
	store := secrets.Open(a.dataDir, secrets.Options{})
	opts.Profiles, opts.Secret = store.List, store.Secret
	opts.History = call.OpenHistory(a.dataDir)
	// Calls through a connection: a silent sign-in, run by the form in a
	// command when an operation needs a connection.
	opts.Platform = func() (*platform.Client, string, error) {
		dir, err := configDir()
		if err != nil {
			return nil, "", err
		}
		return usecase.PlatformClient(dir, "")
	}
	return opts
}

// tuiAudit opens an audit in the explorer (`connex audit PATH` on a
// terminal).
func tuiAudit(a *app, r *audit.Report) error {
	defer usecase.RouteLibraryLog(nil)()
	opts := tuiOptions(a)
	opts.Audit = r
	return tui.Run(a.ctx, opts)
}

// tuiData is the data folder for the explorer: problems that do not stop
// a use case are dropped, as the explorer owns the terminal.
func tuiData(a *app) *usecase.Data { return usecase.New(a.dataDir) }

// tuiLoadSnapshot opens the catalogue for random access and its index
// (paired with the snapshot through index.stamp, as connex search does: no
// connector is decoded when they are in step). An unusable index is not
// fatal: the TUI searches by scanning the whole catalogue and shows why.
func tuiLoadSnapshot(a *app) (*catalog.Snapshot, tui.Searcher, error) {
	s, err := a.openSnapshot()
	if err != nil {
		return nil, nil, err
	}
	// tuiData: nothing may print while the explorer owns the terminal
	// (a rebuild's notice, a warning).
	ix, err := tuiData(a).OpenIndexFor(a.ctx, s)
	if err != nil {
		c, cerr := s.Catalog()
		if cerr != nil {
			return nil, nil, cerr
		}
		return s, index.NewScanSearcher(c), fmt.Errorf("search index unavailable, searching without it (slower): %w", err)
	}
	return s, ix, nil
}

// tuiImport is `connex import PATH` inside the explorer.
func tuiImport(a *app, ctx context.Context, path string, progress func(int, int, string)) (tui.ImportReport, error) {
	out, err := tuiData(a).Import(ctx, []string{path}, func(p usecase.ImportProgress) {
		progress(p.Done, p.Total, "reading definitions")
	})
	var rep tui.ImportReport
	if out != nil && out.Result != nil {
		r := out.Result
		// A connector list is a file read too ("from 0 files" for a list).
		rep = tui.ImportReport{Files: r.Files + len(r.Lists), Failed: len(r.Failed), Warnings: len(r.Warnings)}
		if r.Catalog != nil {
			rep.Connectors = len(r.Catalog.Connectors)
		}
	}
	if errors.Is(err, usecase.ErrIndexStale) {
		return rep, nil // the catalogue is saved; the next load rebuilds the index
	}
	return rep, err
}

// tuiRefresh is `connex refresh` inside the explorer: the crawler's events
// drive the TUI's progress view, the report gives the outcome.
func tuiRefresh(a *app, ctx context.Context, progress func(int, int, string), opts usecase.RefreshOptions) error {
	opts.Version = buildVersion()
	rep, err := tuiData(a).Refresh(ctx, opts, func(e crawl.Event) {
		msg := "reading the connector list"
		if e.ID != "" {
			msg = "connector " + e.ID
		}
		progress(e.Done, e.Total, msg)
	})
	switch {
	case rep == nil:
		return err
	case rep.ExitCode == usecase.CodePartial:
		return nil // catalogue updated; some pages kept their old entries
	case rep.ExitCode == usecase.CodeOK:
		return nil
	case err == nil:
		return fmt.Errorf("refresh %s: %s", rep.Outcome, rep.Error)
	}
	return err
}

func tuiOpenURL(url string) error {
	// pkg/browser echoes the opener's output on the terminal the TUI owns.
	browser.Stdout, browser.Stderr = io.Discard, io.Discard
	return browser.OpenURL(url)
}
