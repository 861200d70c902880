package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"time"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/scraper/crawl"
	"github.com/connex-dev/connex/scraper/site"
)

// RefreshMaxFailed is the share of failed pages above which the old
// catalogue is kept.
const RefreshMaxFailed = 0.10

// Exit codes a refresh reports (the CLI's codes).
const (
	CodeOK      = 0 // done
	CodeFailure = 1 // failed, nothing changed
	CodePartial = 2 // partial success
)

// Refresh outcomes, in the report.
const (
	RefreshUpdated   = "updated"   // new catalogue saved
	RefreshUnchanged = "unchanged" // every page unchanged: nothing written
	RefreshKept      = "kept"      // too many failures: the old catalogue kept
	RefreshFailed    = "failed"    // no crawl (robots.txt, list page, interrupted)
)

// RefreshReport is what a refresh did; it is also the final line of
// `connex refresh --json`, so the field names are stable.
type RefreshReport struct {
	Type         string             `json:"type"` // always "report"
	Outcome      string             `json:"outcome"`
	ExitCode     int                `json:"exit_code"`
	BaseURL      string             `json:"base_url"`
	Pages        int                `json:"pages"`
	crawl.Counts                    // the crawl's page counts, flattened into the JSON
	Requests     int64              `json:"requests"`
	Problems     int                `json:"problems"`
	FailedPages  []crawl.PageResult `json:"failed_pages"`
	// ParseProblems are the first layout problems noted (at most 200).
	ParseProblems []site.ParseProblem    `json:"parse_problems,omitempty"`
	Warnings      []string               `json:"warnings,omitempty"`
	Catalog       *catalog.Stats         `json:"catalog,omitempty"`
	Changes       *catalog.ChangeSummary `json:"changes,omitempty"`
	ChangeReport  string                 `json:"change_report,omitempty"`
	Error         string                 `json:"error,omitempty"`
	Seconds       float64                `json:"seconds"`
}

// RefreshOptions are the crawl's settings; zero values take the crawler's
// defaults.
type RefreshOptions struct {
	BaseURL, Locale string
	Concurrency     int
	// Delay is the pause between requests (plus jitter): 0 the default,
	// negative none.
	Delay                           time.Duration
	Timeout, Backoff, RetryAfterCap time.Duration
	Only                            []string
	// Version names connex in the User-Agent.
	Version string
}

// Refresh crawls the reference site and replaces the catalogue when the
// crawl completes with at most RefreshMaxFailed of its pages failed; it
// saves the index and a change report with it. progress receives the
// crawler's events (list, page) as they happen, from one goroutine.
//
// The report is nil only when the refresh could not start (the lock is
// held, the saved catalogue is unreadable): the error says why. Otherwise
// report.ExitCode is CodeOK, CodePartial or CodeFailure and the error,
// when not nil, is the reason, made safe for a terminal.
func (d *Data) Refresh(ctx context.Context, o RefreshOptions, progress func(crawl.Event)) (*RefreshReport, error) {
	start := time.Now()
	unlock, err := d.Lock("refresh")
	if err != nil {
		return nil, err
	}
	defer unlock()
	old, err := d.LoadCatalog()
	if err != nil {
		return nil, err
	}
	prev := old
	if old.Sample {
		prev = nil
	}
	opts := crawl.Options{
		BaseURL:       o.BaseURL,
		Locale:        o.Locale,
		Concurrency:   o.Concurrency,
		Delay:         o.Delay,
		UserAgent:     crawl.DefaultUserAgent(o.Version),
		Only:          o.Only,
		CacheDir:      filepath.Join(d.Dir, "cache", "pages"),
		StateFile:     filepath.Join(d.Dir, "refresh", "state.json"),
		Timeout:       o.Timeout,
		Backoff:       o.Backoff,
		RetryAfterCap: o.RetryAfterCap,
		// The progress is dropped only after the catalogue is saved: a
		// crash in between resumes without fetching the pages again.
		CommitLater: true,
		Events: func(e crawl.Event) {
			if progress != nil {
				progress(e)
			}
		},
	}
	res, crawlErr := crawl.Run(ctx, opts, prev)
	rep := &RefreshReport{Type: "report", FailedPages: []crawl.PageResult{}}
	if res != nil {
		rep.BaseURL, rep.Pages, rep.Counts = res.BaseURL, len(res.Pages), res.Counts
		rep.Requests, rep.Problems = res.Requests, len(res.Problems)
		rep.FailedPages = append(rep.FailedPages, res.FailedPages()...)
		rep.Warnings = res.Warnings
		rep.ParseProblems = res.Problems
		if len(rep.ParseProblems) > 200 {
			rep.ParseProblems = rep.ParseProblems[:200]
		}
	}
	finish := func(outcome string, code int, err error) (*RefreshReport, error) {
		if res != nil && outcome != RefreshFailed {
			d.warn(res.Commit())
		}
		rep.Outcome, rep.ExitCode, rep.Seconds = outcome, code, time.Since(start).Seconds()
		if err != nil {
			rep.Error = err.Error()
			// The message may quote the site (a robots.txt line, an HTTP
			// error): make it safe for the terminal it goes to.
			err = errors.New(safeterm.Text(err.Error()))
		}
		return rep, err
	}

	if crawlErr != nil {
		if errors.Is(crawlErr, crawl.ErrRobotsUnavailable) {
			if host, derr := unreachable(ctx, o); derr != nil {
				// No answer at all is not the site asking crawlers to stay away.
				crawlErr = fmt.Errorf("cannot reach %s: no network? (%v)", host, derr)
			}
			crawlErr = fmt.Errorf("%w\n  (nothing was crawled; the catalogue is unchanged)", crawlErr)
		}
		return finish(RefreshFailed, CodeFailure, crawlErr)
	}
	if res.FailureRatio() > RefreshMaxFailed {
		return finish(RefreshKept, CodeFailure, fmt.Errorf("%d of %d pages failed (more than %.0f%%): the catalogue is kept as it was; run again later",
			res.Failed, len(res.Pages), RefreshMaxFailed*100))
	}
	code := CodeOK
	var partialErr error
	if res.Failed > 0 {
		code = CodePartial
		partialErr = fmt.Errorf("%d of %d pages failed; their previous entries were kept", res.Failed, len(res.Pages))
	}
	if !res.Changed {
		stats := old.Stats()
		rep.Catalog = &stats
		return finish(RefreshUnchanged, code, partialErr)
	}
	if err := d.SaveCatalog(ctx, res.Catalog); err != nil {
		if !errors.Is(err, ErrIndexStale) {
			return finish(RefreshFailed, CodeFailure, err)
		}
		// The catalogue is saved: report it as updated, partly.
		code = CodePartial
		partialErr = errors.Join(partialErr, err)
	}
	stats := res.Catalog.Stats()
	rep.Catalog = &stats
	diff := catalog.Diff(prev, res.Catalog, time.Now())
	rep.Changes = &diff.Summary
	if !diff.Empty() {
		path, err := catalog.SaveReport(d.Dir, diff)
		if err != nil {
			d.warn(fmt.Errorf("the catalogue was saved, but not the change report: %w", err))
		} else {
			rep.ChangeReport = path
		}
	}
	return finish(RefreshUpdated, code, partialErr)
}

// reachTimeout bounds the reachability check after a failed crawl.
const reachTimeout = 5 * time.Second

// unreachable tells, after robots.txt could not be read, whether the site
// gave no answer at all (no network, a name that does not resolve, nothing
// listening): it dials the site's host and returns the host and the dial's
// error, or a nil error when the host takes connections.
func unreachable(ctx context.Context, o RefreshOptions) (string, error) {
	base := o.BaseURL
	if base == "" {
		locale := o.Locale
		if locale == "" {
			locale = "en-us"
		}
		base = fmt.Sprintf(crawl.DefaultSiteBase, locale)
	}
	u, err := url.Parse(base)
	if err != nil || u.Hostname() == "" {
		return "", nil
	}
	port := u.Port()
	if port == "" {
		port = "443"
		if u.Scheme == "http" {
			port = "80"
		}
	}
	ctx, cancel := context.WithTimeout(ctx, reachTimeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", net.JoinHostPort(u.Hostname(), port))
	if err != nil {
		return u.Hostname(), err
	}
	_ = conn.Close()
	return u.Hostname(), nil
}
