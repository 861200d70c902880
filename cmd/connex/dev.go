package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/realdata"
	"github.com/connex-dev/connex/internal/replica"
	"github.com/connex-dev/connex/scraper/defs"
)

func init() { register(newDevCmd) }

// newDevCmd groups developer tools; hidden from help.
func newDevCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:    "dev",
		Short:  "Developer tools",
		Hidden: true,
		Args:   cobra.NoArgs,
	}
	cmd.AddCommand(newDevReplicaCmd(a))
	return cmd
}

// devReplicaOutput is printed with --json once the replica listens.
type devReplicaOutput struct {
	BaseURL         string         `json:"base_url"`
	Connectors      int            `json:"connectors"`
	FromDefinitions int            `json:"from_definitions"`
	Faulted         map[string]int `json:"faulted"`
}

func newDevReplicaCmd(a *app) *cobra.Command {
	var (
		addr, dataDir, list, defs, faults, robots string
		seed                                      uint64
		retryAfter, times                         int
		delay                                     time.Duration
		relative, asJSON                          bool
	)
	cmd := &cobra.Command{
		Use:   "replica",
		Short: "Serve a local replica of the connector reference site",
		Long: `Serve, on this machine only, a replica of learn.microsoft.com/en-us/connectors/
built from the reference list (1,466 connectors) and the connector
definitions: a list page, a page per connector, robots.txt, ETag/304, and
faults on demand. Point a refresh at it to crawl a realistic site offline.

Faults (--faults) are KIND=RATE pairs, RATE a share of connector pages
chosen from --seed: 429 (with Retry-After --retry-after, first --times
requests), 500 (first --times requests), 500-permanent, slow (--delay),
truncate (first --times requests), layout (sections renamed or missing),
404, huge (an 11 MiB page), deep (5,000 nested elements).`,
		Example: `  connex dev replica --addr 127.0.0.1:8080
  connex refresh --base-url http://127.0.0.1:8080/en-us/connectors/
  connex dev replica --faults 429=0.02,500-permanent=0.02,slow=0.05 --delay 300ms
  connex dev replica --list ../shared/data/connector-reference-list-2025-10.json`,
		Args: cobra.NoArgs,
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
			rates, err := devParseFaults(faults, replica.Fault{RetryAfter: retryAfter, Times: times, Delay: delay})
			if err != nil {
				return err
			}
			rb, err := devParseRobots(robots)
			if err != nil {
				return err
			}
			definitions, err := devDefinitions(a, defs, dataDir)
			if err != nil {
				return err
			}
			srv, err := replica.New(replica.Options{
				ListPath: list, Definitions: definitions, Seed: seed, Addr: addr,
				RelativeLinks: relative, Robots: rb, Faults: replica.Faults{Rates: rates},
			})
			if err != nil {
				return fmt.Errorf("%w\n  (pass --data DIR, the folder holding connector-reference-list.json, or --list FILE)", err)
			}
			base, err := srv.Start()
			if err != nil {
				return err
			}
			defer srv.Close()
			out := devReplicaOutput{BaseURL: base, Connectors: len(srv.IDs()), FromDefinitions: len(srv.FromDefinition()), Faulted: map[string]int{}}
			for _, r := range rates {
				out.Faulted[string(r.Kind)] = len(srv.Faulted(r.Kind))
			}
			if asJSON {
				if err := writeJSON(a.stdout, out); err != nil {
					return err
				}
			} else {
				fmt.Fprintf(a.stdout, "Replica of the connector reference site at %s\n", base)
				fmt.Fprintf(a.stdout, "  %d connectors, %d rendered from definitions\n", out.Connectors, out.FromDefinitions)
				for _, r := range rates {
					fmt.Fprintf(a.stdout, "  fault %s on %d pages\n", r.Kind, out.Faulted[string(r.Kind)])
				}
				fmt.Fprintf(a.stdout, "Crawl it with:\n  connex refresh --base-url %s\nCtrl-C stops it.\n", base)
			}
			<-a.ctx.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			srv.Shutdown(ctx)
			fmt.Fprintf(a.stderr, "replica: %d requests served\n", srv.TotalRequests())
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&addr, "addr", "127.0.0.1:0", "loopback address to listen on (port 0 picks a free one)")
	f.StringVar(&dataDir, "data", "", "shared data folder with connector-reference-list.json and powerplatformconnectors.tar.gz (default ../shared/data)")
	f.StringVar(&list, "list", "", "reference list to serve (default DATA/connector-reference-list.json)")
	f.StringVar(&defs, "definitions", "", `definitions for real operations: a tarball or folder to import, "catalog" for the saved catalogue, "none" (default DATA/powerplatformconnectors.tar.gz when present)`)
	f.StringVar(&faults, "faults", "", "faults to inject, KIND=RATE,... (kinds: 429, 500, 500-permanent, slow, truncate, layout, 404, huge, deep)")
	f.StringVar(&robots, "robots", "allow", "robots.txt: allow, 404, 500, or disallow:PATH[,PATH...]")
	f.Uint64Var(&seed, "seed", 1, "seed of generated content and fault choice")
	f.IntVar(&retryAfter, "retry-after", 2, "Retry-After seconds of 429 answers (-1: no header)")
	f.IntVar(&times, "times", 1, "how many requests of a page a 429, 500 or truncate fault hits")
	f.DurationVar(&delay, "delay", 200*time.Millisecond, "delay of slow pages")
	f.BoolVar(&relative, "relative-links", false, `list page links in the pre-2025 form "../<id>/"`)
	f.BoolVar(&asJSON, "json", false, "print the base URL and counts as JSON")
	return cmd
}

func devParseFaults(spec string, base replica.Fault) ([]replica.RateFault, error) {
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
		switch kind {
		case "429":
			f.Kind = replica.Fault429
		case "500":
			f.Kind = replica.Fault500
		case "500-permanent":
			f.Kind, f.Times = replica.Fault500, 0
		case "slow":
			f.Kind = replica.FaultSlow
		case "truncate":
			f.Kind = replica.FaultTruncate
		case "layout":
			f.Kind = replica.FaultLayout
		case "404":
			f.Kind = replica.Fault404
		case "huge":
			f.Kind = replica.FaultHuge
		case "deep":
			f.Kind = replica.FaultDeep
		default:
			return nil, fmt.Errorf("--faults: unknown kind %q (429, 500, 500-permanent, slow, truncate, layout, 404, huge, deep)", kind)
		}
		out = append(out, replica.RateFault{Fault: f, Rate: rate})
	}
	return out, nil
}

func devParseRobots(spec string) (replica.Robots, error) {
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

// devDefinitions finds the connector definitions the replica renders real
// operations from.
func devDefinitions(a *app, spec, dataDir string) (*catalog.Catalog, error) {
	switch spec {
	case "none":
		return nil, nil
	case "catalog":
		c, err := catalog.Load(a.catalogPath())
		if errors.Is(err, catalog.ErrNoCatalog) {
			return nil, fmt.Errorf("--definitions catalog: no saved catalogue in %s (run 'connex import' first)", a.dataDir)
		}
		return c, err
	case "":
		spec = filepath.Join(dataDir, "powerplatformconnectors.tar.gz")
		if _, err := os.Stat(spec); err != nil {
			return nil, nil // generated pages only
		}
	}
	res, err := defs.Import(a.ctx, []string{spec}, defs.ImportOptions{})
	if err != nil {
		return nil, fmt.Errorf("--definitions %s: %w", spec, err)
	}
	return res.Catalog, nil
}
