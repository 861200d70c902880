package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/atotto/clipboard"
	"github.com/aymanbagabas/go-osc52/v2"
	"github.com/pkg/browser"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
	"github.com/connex-dev/connex/secrets"
	"github.com/connex-dev/connex/tui"
)

func init() { runTUI = tuiRun }

// tuiRun opens the explorer. The catalogue and index are loaded by the TUI
// in a command after its first frame, so the screen appears at once.
func tuiRun(a *app) error {
	if !isTerminal(a.stdout) {
		return errors.New("the explorer needs a terminal; for scripts use `connex search` or `connex show`")
	}
	opts := tui.Options{
		LoadCatalog: func(ctx context.Context) (*catalog.Catalog, tui.Searcher, error) {
			return tuiLoad(a)
		},
		Import: func(ctx context.Context, path string, progress func(int, int, string)) error {
			return tuiImport(a, ctx, path, progress)
		},
		Refresh: func(ctx context.Context, progress func(int, int, string)) error {
			return tuiRefresh(a, ctx, progress)
		},
		OpenURL: tuiOpenURL,
		Copy:    tuiCopy,
		Now:     time.Now,
	}
	// Test calls: the same auth profiles and history as `connex call`.
	// Opening them touches no file; the form reads them in commands.
	store := secrets.Open(a.dataDir, secrets.Options{})
	opts.Profiles, opts.Secret = store.List, store.Secret
	opts.History = call.OpenHistory(a.dataDir)
	return tui.Run(a.ctx, opts)
}

// tuiLoad loads the catalogue and its index. An unusable index is not
// fatal: the TUI searches by scanning and shows why.
func tuiLoad(a *app) (*catalog.Catalog, tui.Searcher, error) {
	cat, err := a.loadCatalog()
	if err != nil {
		return nil, nil, err
	}
	ix, err := a.openIndex(cat)
	if err != nil {
		return cat, index.NewScanSearcher(cat), fmt.Errorf("search index unavailable, searching without it (slower): %w", err)
	}
	return cat, ix, nil
}

// tuiImport is `connex import PATH` inside the explorer.
func tuiImport(a *app, ctx context.Context, path string, progress func(int, int, string)) error {
	_, _, err := a.importSources(ctx, []string{path}, func(done, total int) {
		progress(done, total, "reading definitions")
	})
	return err
}

// tuiRefresh is `connex refresh --json` inside the explorer: its JSON
// progress events drive the TUI's progress view, its report gives the
// outcome. Output goes nowhere else: the TUI owns the terminal.
func tuiRefresh(a *app, ctx context.Context, progress func(int, int, string), args ...string) error {
	pr, pw := io.Pipe()
	var report struct {
		Type, Outcome, Error string
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		dec := json.NewDecoder(pr)
		for {
			var e struct {
				Type, ID, Outcome, Error string
				Done, Total              int
			}
			if err := dec.Decode(&e); err != nil {
				_, _ = io.Copy(io.Discard, pr)
				return
			}
			if e.Type == "report" {
				report.Type, report.Outcome, report.Error = e.Type, e.Outcome, e.Error
				continue
			}
			msg := "reading the connector list"
			if e.ID != "" {
				msg = "connector " + e.ID
			}
			progress(e.Done, e.Total, msg)
		}
	}()
	b := *a
	b.ctx, b.stdout, b.stderr = ctx, pw, io.Discard
	cmd := newRefreshCmd(&b)
	cmd.SetArgs(append([]string{"--json"}, args...))
	cmd.SetOut(pw)
	cmd.SetErr(io.Discard)
	cmd.SilenceErrors, cmd.SilenceUsage = true, true
	err := cmd.ExecuteContext(ctx)
	pw.Close()
	<-done
	var ee *exitError
	if errors.As(err, &ee) && ee.code == exitPartial {
		return nil // catalogue updated; some pages kept their old entries
	}
	if err != nil && err.Error() == "" {
		err = fmt.Errorf("refresh %s: %s", report.Outcome, report.Error)
	}
	return err
}

func tuiOpenURL(url string) error {
	// pkg/browser echoes the opener's output on the terminal the TUI owns.
	browser.Stdout, browser.Stderr = io.Discard, io.Discard
	return browser.OpenURL(url)
}

// tuiCopy uses the system clipboard, else OSC 52 (which works over SSH and
// in most terminals, through tmux and screen too).
func tuiCopy(text string) error {
	if err := clipboard.WriteAll(text); err == nil {
		return nil
	}
	seq := osc52.New(text)
	if os.Getenv("TMUX") != "" {
		seq = seq.Tmux()
	} else if strings.HasPrefix(os.Getenv("TERM"), "screen") {
		seq = seq.Screen()
	}
	_, err := seq.WriteTo(os.Stdout)
	return err
}
