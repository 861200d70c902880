package tui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/index"
)

func TestRefreshJobProgressAndReload(t *testing.T) {
	t.Parallel()
	loads := 0
	var seen []string
	m := New(Options{
		LoadCatalog: func(context.Context) (*catalog.Catalog, Searcher, error) {
			loads++
			c := catalog.Sample()
			if loads > 1 {
				c.Sample = false
				c.Origins = []catalog.Source{{Kind: catalog.SourceSite, At: fixedNow}}
			}
			return c, index.NewScanSearcher(c), nil
		},
		Refresh: func(ctx context.Context, progress func(int, int, string)) error {
			progress(1, 2, "connector a")
			progress(2, 2, "connector b")
			return nil
		},
		Now: func() time.Time { return fixedNow },
	})
	settle(m, m.Init())
	press(m, "ctrl+r")
	if m.job == nil || m.job.running {
		t.Fatal("ctrl+r should open the refresh dialog without starting it")
	}
	seen = append(seen, screen(m))
	press(m, "enter")
	if loads != 2 || m.job != nil || m.cat.Sample {
		t.Fatalf("after the refresh: loads %d, job %v, sample %v", loads, m.job != nil, m.cat.Sample)
	}
	if !strings.Contains(seen[0], "Refresh from the connector reference site") {
		t.Fatalf("dialog:\n%s", seen[0])
	}
	if !strings.Contains(screen(m), "refresh finished") {
		t.Fatalf("status:\n%s", screen(m))
	}
}

func TestImportJobCancelAndErrors(t *testing.T) {
	t.Parallel()
	started := make(chan string, 1)
	m := New(Options{
		LoadCatalog: func(context.Context) (*catalog.Catalog, Searcher, error) {
			c := catalog.Sample()
			return c, index.NewScanSearcher(c), nil
		},
		Import: func(ctx context.Context, path string, progress func(int, int, string)) error {
			started <- path
			progress(3, 10, "reading definitions")
			<-ctx.Done()
			return ctx.Err()
		},
		Now: func() time.Time { return fixedNow },
	})
	settle(m, m.Init())
	press(m, "ctrl+o", "enter")
	if m.job == nil || m.job.err == nil || m.job.running {
		t.Fatal("enter with no path should explain, not start")
	}
	typeText(m, "/data/defs.tar.gz")
	_, cmd := m.Update(keyMsg("enter"))
	if got := <-started; got != "/data/defs.tar.gz" {
		t.Fatalf("import path %q", got)
	}
	// The first message is the progress report.
	settleOne := func(c tea.Cmd) tea.Cmd {
		var next tea.Cmd
		for _, msg := range flatten(c) {
			if _, ok := msg.(jobProgressMsg); ok {
				_, next = m.Update(msg)
			}
		}
		return next
	}
	next := settleOne(cmd)
	if !strings.Contains(screen(m), "3/10") {
		t.Fatalf("progress not shown:\n%s", screen(m))
	}
	press(m, "esc") // cancels the job's context
	settle(m, next)
	if m.job != nil || !strings.Contains(m.info, "cancelled") {
		t.Fatalf("after cancel: job %v info %q", m.job != nil, m.info)
	}

	// A failed import keeps the dialog open with the error.
	m.opts.Import = func(context.Context, string, func(int, int, string)) error {
		return errors.New("open /nope: no such file or directory")
	}
	press(m, "ctrl+o")
	typeText(m, "/nope")
	press(m, "enter")
	if m.job == nil || !strings.Contains(screen(m), "no such file or directory") {
		t.Fatalf("failure not shown:\n%s", screen(m))
	}
	press(m, "esc")
	if m.job != nil {
		t.Fatal("esc did not close the dialog")
	}
}

// flatten runs a command and its batches, returning the messages.
func flatten(c tea.Cmd) []tea.Msg {
	if c == nil {
		return nil
	}
	msg := c()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, flatten(c)...)
		}
		return out
	}
	if msg == nil {
		return nil
	}
	return []tea.Msg{msg}
}

func TestJobsUnavailable(t *testing.T) {
	t.Parallel()
	m := newTestModel(t, catalog.Sample(), 80, 24)
	press(m, "ctrl+r")
	if m.job != nil || m.err == nil || !strings.Contains(m.err.Error(), "connex refresh") {
		t.Fatalf("refresh without a func: job %v err %v", m.job != nil, m.err)
	}
}
