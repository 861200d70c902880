package main

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	usecase "github.com/connex-dev/connex/internal/app"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/scraper/crawl"
)

func init() { register(newRefreshCmd) }

// refreshReport is the final line of `connex refresh --json`.
type refreshReport = usecase.RefreshReport

type refreshFlags struct {
	baseURL, locale        string
	concurrency            int
	delay, timeout         time.Duration
	backoff, retryAfterCap time.Duration
	only                   []string
	asJSON                 bool
}

func newRefreshCmd(a *app) *cobra.Command {
	var f refreshFlags
	cmd := &cobra.Command{
		Use:   "refresh",
		Short: "Refresh the catalogue from the connector reference site",
		Long: `Crawl the connector reference site (learn.microsoft.com/<locale>/connectors/):
the list of every connector, then each connector's page, and merge what it
says (tiers, products, limits, auth types, actions and triggers) with the
imported definitions.

The crawl is polite: it obeys robots.txt, keeps at most --concurrency
requests in flight, waits --delay (with jitter) between requests, retries
429 and 5xx answers with backoff and honours Retry-After. It is
incremental: pages are cached with their ETag, and an unchanged page is
not read again. An interrupted refresh continues where it stopped.

The catalogue is replaced only when the crawl completes with at most 10%
of pages failed. Exit status: 0 all pages read, 2 some failed (catalogue
updated, their previous entries kept), 1 nothing changed (error).`,
		Example: `  connex refresh
  connex refresh --only sendgrid,office365
  go run ./cmd/connex-replica --addr 127.0.0.1:8080 &   # a local replica, from a clone
  connex refresh --base-url http://127.0.0.1:8080/en-us/connectors/ --delay 0 --concurrency 8
  connex refresh --json | jq -c 'select(.type == "report")'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return refreshRun(a, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.baseURL, "base-url", "", "connectors folder of the site or of a mirror (default https://learn.microsoft.com/<locale>/connectors/)")
	fl.StringVar(&f.locale, "locale", "en-us", "locale of the default site")
	fl.IntVar(&f.concurrency, "concurrency", crawl.DefaultConcurrency, "most requests in flight to the site")
	fl.DurationVar(&f.delay, "delay", crawl.DefaultDelay, "pause between requests, plus up to half of it at random (0: none)")
	fl.StringSliceVar(&f.only, "only", nil, "refresh only these connector ids (comma separated)")
	fl.BoolVar(&f.asJSON, "json", false, `print JSON lines: progress events, then {"type":"report", outcome, fetched, unchanged, failed, failed_pages: [{url, status, attempts}], ...}`)
	fl.DurationVar(&f.timeout, "timeout", crawl.DefaultTimeout, "timeout of each request")
	fl.DurationVar(&f.backoff, "backoff", crawl.DefaultBackoff, "first retry's wait, doubled at each retry")
	fl.DurationVar(&f.retryAfterCap, "retry-after-cap", crawl.DefaultRetryAfterCap, "longest pause a Retry-After answer may impose")
	for _, name := range []string{"backoff", "retry-after-cap"} {
		_ = fl.MarkHidden(name)
	}
	return cmd
}

func refreshRun(a *app, f refreshFlags) error {
	jsonMode := f.asJSON || !isTerminal(a.stdout)
	var events *json.Encoder
	if jsonMode {
		events = json.NewEncoder(a.stdout)
		events.SetEscapeHTML(false)
	}
	var bar *progressbar.ProgressBar
	if !jsonMode && isTerminal(a.stderr) {
		bar = progressbar.NewOptions(-1, progressbar.OptionSetWriter(a.stderr),
			progressbar.OptionSetDescription("Refreshing"), progressbar.OptionShowCount(),
			progressbar.OptionShowIts(), progressbar.OptionSetItsString("pages"),
			progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(20), progressbar.OptionThrottle(100*time.Millisecond))
	}
	delay := f.delay
	if delay <= 0 {
		delay = -1 // no delay at all, not the default
	}
	opts := usecase.RefreshOptions{
		BaseURL:       f.baseURL,
		Locale:        f.locale,
		Concurrency:   f.concurrency,
		Delay:         delay,
		Version:       buildVersion(),
		Only:          f.only,
		Timeout:       f.timeout,
		Backoff:       f.backoff,
		RetryAfterCap: f.retryAfterCap,
	}
	rep, err := a.data().Refresh(a.ctx, opts, func(e crawl.Event) {
		if events != nil {
			_ = events.Encode(e)
		}
		if bar != nil {
			refreshBar(bar, e)
		}
	})
	if bar != nil {
		_ = bar.Finish()
	}
	if rep == nil {
		return err // could not start: the lock, an unreadable catalogue
	}
	code := rep.ExitCode
	if jsonMode {
		if werr := events.Encode(rep); werr != nil {
			return werr
		}
		// On failure stderr says why too: it is not the JSON stream.
	} else {
		refreshPrint(a.stdout, rep)
	}
	switch {
	case code == exitOK:
		return nil
	case err == nil:
		return silentExit(code)
	default:
		return &exitError{code: code, err: err}
	}
}

// refreshBar moves the progress bar on page events.
func refreshBar(bar *progressbar.ProgressBar, e crawl.Event) {
	switch e.Type {
	case "list":
		if e.Total > 0 {
			bar.ChangeMax(e.Total)
		}
	case "page":
		if e.Failed > 0 {
			bar.Describe(fmt.Sprintf("Refreshing (%d failed)", e.Failed))
		}
		_ = bar.Set(e.Done)
	}
}

// refreshPrint is the human summary, within 80 columns.
func refreshPrint(w io.Writer, r *refreshReport) {
	switch r.Outcome {
	case usecase.RefreshFailed:
		if r.Pages == 0 {
			return // the error says it all
		}
	case usecase.RefreshUpdated:
		fmt.Fprintf(w, "Catalogue updated from %s\n", safeterm.Line(r.BaseURL))
	case usecase.RefreshUnchanged:
		fmt.Fprintf(w, "Catalogue unchanged (%s)\n", safeterm.Line(r.BaseURL))
	case usecase.RefreshKept:
		fmt.Fprintf(w, "Catalogue kept as it was: too many pages failed\n")
	}
	fmt.Fprintf(w, "  %d pages: %d fetched, %d unchanged, %d from cache, %d failed", r.Pages, r.Fetched, r.Unchanged, r.Cached, r.Failed)
	if r.Disallowed > 0 {
		fmt.Fprintf(w, ", %d disallowed", r.Disallowed)
	}
	fmt.Fprintf(w, "\n  %d requests in %s", r.Requests, time.Duration(r.Seconds*float64(time.Second)).Round(time.Second))
	if r.Resumed > 0 {
		fmt.Fprintf(w, " (%d pages done by the interrupted run)", r.Resumed)
	}
	fmt.Fprintln(w)
	if r.Catalog != nil {
		fmt.Fprintf(w, "  catalogue: %d connectors, %d operations\n", r.Catalog.Connectors, r.Catalog.Operations)
	}
	if c := r.Changes; c != nil && (c.Added+c.Removed+c.Changed) > 0 {
		fmt.Fprintf(w, "  changes: %d added, %d removed, %d changed (see connex changes)\n", c.Added, c.Removed, c.Changed)
	}
	if r.Problems > 0 {
		fmt.Fprintf(w, "  %d layout problems noted (see --json)\n", r.Problems)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintln(w, cutLine("  warning: "+warn, textWidth))
	}
	if len(r.FailedPages) > 0 {
		fmt.Fprintln(w, "Failed pages:")
		printCapped(w, len(r.FailedPages), 20, "  ... and %d more (see --json)\n", func(i int) {
			p := r.FailedPages[i]
			line := fmt.Sprintf("  %s  %s (%d attempts)", p.URL, p.Error, p.Attempts)
			fmt.Fprintln(w, cutLine(line, textWidth))
		})
	}
}
