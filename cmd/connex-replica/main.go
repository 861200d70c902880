// Command connex-replica serves, on this machine only, a replica of the
// connector reference site (learn.microsoft.com/en-us/connectors/) built
// from real data only, for offline crawling, tests and benchmarks. It is a
// development tool kept out of the connex binary, so the shipped graph
// holds neither the replica nor internal/realdata (which imports testing).
//
//	connex-replica --addr 127.0.0.1:8080
//	connex refresh --base-url http://127.0.0.1:8080/en-us/connectors/ --delay 0 --concurrency 8
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/adrg/xdg"
	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/internal/replica"
	"github.com/connex-dev/connex/scraper/defs"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil)
	stop()
	os.Exit(code)
}

// output is printed with --json once the replica listens.
type output struct {
	BaseURL         string         `json:"base_url"`
	Connectors      int            `json:"connectors"`
	FromDefinitions int            `json:"from_definitions"`
	FromAPIs        int            `json:"from_apis"`
	FromExports     int            `json:"from_exports"`
	Faulted         map[string]int `json:"faulted"`
}

// run is the command; listening, when not nil, is called with the base
// URL once the replica serves (tests stop it by cancelling ctx).
func run(ctx context.Context, args []string, stdout, stderr io.Writer, listening func(string)) int {
	cmd := newCmd(ctx, stdout, stderr, listening)
	cmd.SetArgs(args)
	cmd.SetOut(stdout)
	cmd.SetErr(stderr)
	if err := cmd.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, "connex-replica:", err)
		return 1
	}
	return 0
}

func newCmd(ctx context.Context, stdout, stderr io.Writer, listening func(string)) *cobra.Command {
	var (
		addr, dataDir, list, defs, apis, exports, faults, robots, catalogDir string
		seed                                                                 uint64
		retryAfter, times                                                    int
		delay                                                                time.Duration
		relative, asJSON                                                     bool
	)
	cmd := &cobra.Command{
		Use:   "connex-replica",
		Short: "Serve a local replica of the connector reference site",
		Long: `Serve, on this machine only, a replica of learn.microsoft.com/en-us/connectors/
built from real data only: the reference list (1,466 connectors), the Power
Platform API sample (api.json + swagger.json), the connector definitions and
the site's own Markdown exports (served as they are, and announced by the
HTML page's markdown_url). A listed connector with no data gets a page with
its name and badges only. robots.txt, ETag/304 and faults on demand.

Faults (--faults) are KIND=RATE pairs, RATE a share of connector pages
chosen from --seed: 429 (with Retry-After --retry-after, first --times
requests), 500 (first --times requests), 500-permanent, slow (--delay),
truncate (first --times requests), layout (sections renamed or missing),
404, huge (an 11 MiB page), deep (5,000 nested elements).`,
		Example: `  connex-replica --addr 127.0.0.1:8080
  connex refresh --base-url http://127.0.0.1:8080/en-us/connectors/ --delay 0 --concurrency 8
  connex-replica --faults 429=0.02,500-permanent=0.02,slow=0.05 --delay 300ms
  connex-replica --list ../shared/data/connector-reference-list-2025-10.json`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dataDir == "" {
				if d, ok := realdata.Find(); ok {
					dataDir = d
				} else {
					dataDir = filepath.Join("..", "shared", "data")
				}
			}
			if list == "" {
				list = filepath.Join(dataDir, "connector-reference-list.json")
			}
			rates, err := parseFaults(faults, replica.Fault{RetryAfter: retryAfter, Times: times, Delay: delay})
			if err != nil {
				return err
			}
			rb, err := parseRobots(robots)
			if err != nil {
				return err
			}
			definitions, err := loadDefinitions(ctx, defs, dataDir, catalogDir)
			if err != nil {
				return err
			}
			opts := replica.Options{
				ListPath: list, Definitions: definitions, Seed: seed, Addr: addr,
				RelativeLinks: relative, Robots: rb, Faults: replica.Faults{Rates: rates},
			}
			if err := dataOptions(ctx, &opts, apis, exports, dataDir); err != nil {
				return err
			}
			srv, err := replica.New(opts)
			if err != nil {
				return fmt.Errorf("%w\n  (pass --data DIR, the folder holding connector-reference-list.json, or --list FILE)", err)
			}
			base, err := srv.Start()
			if err != nil {
				return err
			}
			defer srv.Close()
			out := output{BaseURL: base, Connectors: len(srv.IDs()), FromDefinitions: len(srv.FromDefinition()),
				FromAPIs: len(srv.FromAPI()), FromExports: len(srv.FromExport()), Faulted: map[string]int{}}
			for _, r := range rates {
				out.Faulted[string(r.Kind)] = len(srv.Faulted(r.Kind))
			}
			if asJSON {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				if err := enc.Encode(out); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(stdout, "Replica of the connector reference site at %s\n", base)
				fmt.Fprintf(stdout, "  %d connectors: %d from the site's exports, %d from the API sample, %d from definitions, the rest name and badges only\n",
					out.Connectors, out.FromExports, out.FromAPIs, out.FromDefinitions)
				for _, r := range rates {
					fmt.Fprintf(stdout, "  fault %s on %d pages\n", r.Kind, out.Faulted[string(r.Kind)])
				}
				fmt.Fprintf(stdout, "Crawl it with:\n  connex refresh --base-url %s --delay 0 --concurrency 8\nCtrl-C stops it.\n", base)
			}
			if listening != nil {
				listening(base)
			}
			<-ctx.Done()
			sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			srv.Shutdown(sctx)
			fmt.Fprintf(stderr, "replica: %d requests served\n", srv.TotalRequests())
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:0", "loopback address to listen on (port 0 picks a free one)")
	f.StringVar(&dataDir, "data", "", "shared data folder with connector-reference-list.json, powerplatform-apis.tar.gz, powerplatformconnectors.tar.gz and learn-markdown/ (default ../shared/data)")
	f.StringVar(&list, "list", "", "reference list to serve (default DATA/connector-reference-list.json)")
	f.StringVar(&defs, "definitions", "", `definitions for real operations: a tarball or folder to import, "catalog" for the saved catalogue, "none" (default DATA/powerplatformconnectors.tar.gz when present)`)
	f.StringVar(&apis, "apis", "", `Power Platform API sample (apis/shared_<id>/{api.json,swagger.json}), or "none" (default DATA/powerplatform-apis.tar.gz when present)`)
	f.StringVar(&exports, "exports", "", `folder of the site's Markdown exports (<id>.md), or "none" (default DATA/learn-markdown when present)`)
	f.StringVar(&catalogDir, "data-dir", "", "connex data folder for --definitions catalog (default $CONNEX_DATA_DIR, else the user data folder)")
	f.StringVar(&faults, "faults", "", "faults to inject, KIND=RATE,... (kinds: 429, 500, 500-permanent, slow, truncate, layout, 404, huge, deep)")
	f.StringVar(&robots, "robots", "allow", "robots.txt: allow, 404, 500, or disallow:PATH[,PATH...]")
	f.Uint64Var(&seed, "seed", 1, "seed of the fault choice")
	f.IntVar(&retryAfter, "retry-after", 2, "Retry-After seconds of 429 answers (-1: no header)")
	f.IntVar(&times, "times", 1, "how many requests of a page a 429, 500 or truncate fault hits")
	f.DurationVar(&delay, "delay", 200*time.Millisecond, "delay of slow pages")
	f.BoolVar(&relative, "relative-links", false, `list page links in the pre-2025 form "../<id>/"`)
	f.BoolVar(&asJSON, "json", false, "print the base URL and counts as JSON")
	return cmd
}

// dataOptions points the replica at the API sample and the exports,
// defaulting to the shared data folder's copies when they exist.
func dataOptions(ctx context.Context, opts *replica.Options, apis, exports, dataDir string) error {
	pick := func(spec, def string) (string, error) {
		switch spec {
		case "none":
			return "", nil
		case "":
			if _, err := os.Stat(def); err != nil {
				return "", nil
			}
			return def, nil
		}
		if _, err := os.Stat(spec); err != nil {
			return "", err
		}
		return spec, nil
	}
	path, err := pick(apis, filepath.Join(dataDir, "powerplatform-apis.tar.gz"))
	if err != nil {
		return fmt.Errorf("--apis: %w", err)
	}
	if path != "" {
		res, err := defs.Import(ctx, []string{path}, defs.ImportOptions{})
		if err != nil {
			return fmt.Errorf("--apis %s: %w", path, err)
		}
		opts.APIs = res.Catalog
	}
	dir, err := pick(exports, filepath.Join(dataDir, "learn-markdown"))
	if err != nil {
		return fmt.Errorf("--exports: %w", err)
	}
	if dir != "" {
		if opts.Exports, err = replica.LoadExports(dir); err != nil {
			return fmt.Errorf("--exports %s: %w", dir, err)
		}
	}
	return nil
}

// faultKinds are the kinds --faults names as they are spelt
// (replica.FaultKind is its own name); 500-permanent is a 500 that never
// stops.
var faultKinds = []replica.FaultKind{
	replica.Fault429, replica.Fault500, replica.FaultSlow, replica.FaultTruncate,
	replica.FaultLayout, replica.Fault404, replica.FaultHuge, replica.FaultDeep,
}

func parseFaults(spec string, base replica.Fault) ([]replica.RateFault, error) {
	var out []replica.RateFault
	if strings.TrimSpace(spec) == "" {
		return nil, nil
	}
	for _, part := range strings.Split(spec, ",") {
		kind, rateText, ok := strings.Cut(strings.TrimSpace(part), "=")
		rate, err := strconv.ParseFloat(rateText, 64)
		if !ok || err != nil || rate < 0 || rate > 1 {
			return nil, fmt.Errorf("--faults %q: want KIND=RATE with RATE between 0 and 1, e.g. 429=0.02", part)
		}
		f := base
		switch k := replica.FaultKind(kind); {
		case kind == "500-permanent":
			f.Kind, f.Times = replica.Fault500, 0
		case slices.Contains(faultKinds, k):
			f.Kind = k
		default:
			return nil, fmt.Errorf("--faults: unknown kind %q (429, 500, 500-permanent, slow, truncate, layout, 404, huge, deep)", kind)
		}
		out = append(out, replica.RateFault{Fault: f, Rate: rate})
	}
	return out, nil
}

func parseRobots(spec string) (replica.Robots, error) {
	switch {
	case spec == "" || spec == "allow":
		return replica.Robots{}, nil
	case spec == "404":
		return replica.Robots{Mode: replica.RobotsNotFound}, nil
	case spec == "500":
		return replica.Robots{Mode: replica.RobotsError}, nil
	case strings.HasPrefix(spec, "disallow:"):
		paths := strings.Split(strings.TrimPrefix(spec, "disallow:"), ",")
		return replica.Robots{Mode: replica.RobotsDisallow, Disallow: paths}, nil
	}
	return replica.Robots{}, fmt.Errorf("--robots %q: want allow, 404, 500 or disallow:PATH[,PATH...]", spec)
}

// loadDefinitions finds the connector definitions the replica renders real
// operations from.
func loadDefinitions(ctx context.Context, spec, dataDir, catalogDir string) (*catalog.Catalog, error) {
	switch spec {
	case "none":
		return nil, nil
	case "catalog":
		if catalogDir == "" {
			catalogDir = os.Getenv("CONNEX_DATA_DIR")
		}
		if catalogDir == "" {
			catalogDir = filepath.Join(xdg.DataHome, "connex")
		}
		c, err := catalog.Load(filepath.Join(catalogDir, catalog.SnapshotFile))
		if errors.Is(err, catalog.ErrNoCatalog) {
			return nil, fmt.Errorf("--definitions catalog: no saved catalogue in %s (run 'connex import' first)", catalogDir)
		}
		return c, err
	case "":
		spec = filepath.Join(dataDir, "powerplatformconnectors.tar.gz")
		if _, err := os.Stat(spec); err != nil {
			return nil, nil // no definitions: pages from the other sources only
		}
	}
	res, err := defs.Import(ctx, []string{spec}, defs.ImportOptions{})
	if err != nil {
		return nil, fmt.Errorf("--definitions %s: %w", spec, err)
	}
	return res.Catalog, nil
}
