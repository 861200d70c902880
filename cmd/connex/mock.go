package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/mock"
)

func init() { register(newMockCmd) }

// mockExamples is how many example requests the banner shows.
const mockExamples = 4

func newMockCmd(a *app) *cobra.Command {
	var (
		addr        string
		asJSON      bool
		public      bool
		requireAuth bool
	)
	cmd := &cobra.Command{
		Use:   "mock CONNECTOR",
		Short: "Serve a local mock of a connector's API, for trying calls offline",
		Long: `Serve a mock of the connector's API on this machine, built from its
definition: each request is checked against the operation's parameters and
body schema (400 with a message naming the parameter), and answered with the
definition's examples or samples generated from the response schema. The
mock never answers 5xx. Credentials are not checked unless --require-auth.

The mock listens on 127.0.0.1 only; --public is needed for any other
address. Each request is logged to standard error (method, path, status,
operation; never the query string). Ctrl-C stops it.`,
		Example: `  connex mock sampletasks
  connex mock sampleweather --addr 127.0.0.1:8080
  connex call sampletasks/ListTasks --base-url http://127.0.0.1:8080`,
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return a.completeIDs(toComplete), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.loadCatalog()
			if err != nil {
				return err
			}
			id, _, _ := strings.Cut(args[0], "/")
			conn, ok := c.Connector(id)
			if !ok {
				return fmt.Errorf("no connector %q in the catalogue (try 'connex search %s')", id, shellArg(id))
			}
			if !public && !mock.IsLoopback(addr) {
				return fmt.Errorf("refusing to serve on %s: the mock listens on this machine only (127.0.0.1) unless --public is given", addr)
			}
			var logMu sync.Mutex
			opts := mock.Options{
				Addr: addr, Public: public, RequireAuth: requireAuth,
				Log: func(e mock.Entry) {
					logMu.Lock()
					defer logMu.Unlock()
					mockLog(a.stderr, e, asJSON)
				},
			}
			srv, err := mock.Start(conn, opts)
			if err != nil {
				return fmt.Errorf("%w\n  (pick another address with --addr 127.0.0.1:0 for a free port)", err)
			}
			defer srv.Close()
			examples := mock.Examples(conn, srv.URL, len(conn.Operations))
			if asJSON {
				if err := writeJSON(a.stdout, mockInfo(conn, srv, requireAuth, examples)); err != nil {
					return err
				}
			} else {
				mockBanner(a.stdout, conn, srv, requireAuth, examples)
			}
			select {
			case <-a.ctx.Done():
				return nil
			case <-srv.Done():
				if err := srv.Err(); err != nil {
					return fmt.Errorf("mock of %s stopped: %w", conn.ID, err)
				}
				return nil
			}
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:0", "address to listen on (port 0: a free port)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the server's details as JSON, and log requests as JSON lines")
	cmd.Flags().BoolVar(&public, "public", false, "allow listening on a non-loopback address (other machines can reach the mock)")
	cmd.Flags().BoolVar(&requireAuth, "require-auth", false, "answer 401 to requests without the credentials the connector declares")
	return cmd
}

// mockStart is the --json description of a running mock.
type mockStart struct {
	Connector   string         `json:"connector"`
	Name        string         `json:"name"`
	URL         string         `json:"url"`
	BaseURL     string         `json:"base_url"`
	RequireAuth bool           `json:"require_auth"`
	Operations  []mockOpInfo   `json:"operations"`
	Examples    []mock.Example `json:"examples"`
}

type mockOpInfo struct {
	ID     string `json:"id"`
	Method string `json:"method"`
	Path   string `json:"path"`
}

func mockInfo(conn *catalog.Connector, srv *mock.Server, requireAuth bool, examples []mock.Example) mockStart {
	out := mockStart{Connector: conn.ID, Name: conn.Name, URL: srv.URL, BaseURL: srv.BaseURL,
		RequireAuth: requireAuth, Operations: []mockOpInfo{}, Examples: examples}
	if out.Examples == nil {
		out.Examples = []mock.Example{}
	}
	for _, op := range conn.Operations {
		if op.Method == "" || op.Path == "" {
			continue
		}
		out.Operations = append(out.Operations, mockOpInfo{ID: op.ID, Method: op.Method, Path: mockJoin(conn.BasePath, op.Path)})
	}
	return out
}

func mockJoin(basePath, path string) string {
	bp := strings.Trim(basePath, "/")
	if bp == "" {
		return "/" + strings.TrimLeft(path, "/")
	}
	return "/" + bp + "/" + strings.TrimLeft(path, "/")
}

func mockBanner(w io.Writer, conn *catalog.Connector, srv *mock.Server, requireAuth bool, examples []mock.Example) {
	name := safeterm.Line(conn.Name)
	fmt.Fprintf(w, "Mock of %s (%s) listening on %s\n", name, safeterm.Line(conn.ID), srv.URL)
	fmt.Fprintf(w, "Base URL: %s\n", safeterm.Line(srv.BaseURL))
	if requireAuth {
		fmt.Fprintln(w, "Credentials: required as the connector declares them; any value works.")
	} else {
		fmt.Fprintln(w, "Credentials: not checked (--require-auth to practise them).")
	}
	var shown int
	for _, ex := range examples {
		lines := mockCurl(ex)
		if !mockFits(lines) {
			continue
		}
		if shown == 0 {
			fmt.Fprintln(w, "\nTry:")
		}
		fmt.Fprintf(w, "  # %s\n", safeterm.Line(ex.Operation))
		for _, l := range lines {
			fmt.Fprintln(w, l)
		}
		shown++
		if shown == mockExamples {
			break
		}
	}
	fmt.Fprintf(w, "\nOr: connex call %s/OPERATION --base-url %s\n", safeterm.Line(conn.ID), srv.URL)
	fmt.Fprintln(w, "Requests are logged below. Press Ctrl-C to stop.")
}

// mockCurl renders an example as a curl command, one option per line,
// every part single-quoted for the shell and sanitised for the terminal.
func mockCurl(ex mock.Example) []string {
	first := "  curl"
	if ex.Method != "GET" {
		first += " -X " + ex.Method
	}
	first += " " + mockQuote(ex.URL)
	parts := []string{first}
	keys := make([]string, 0, len(ex.Headers))
	for k := range ex.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, "    -H "+mockQuote(k+": "+ex.Headers[k]))
	}
	if ex.Body != "" {
		parts = append(parts, "    -d "+mockQuote(ex.Body))
	}
	for i := range parts {
		parts[i] = safeterm.Line(parts[i])
		if i < len(parts)-1 {
			parts[i] += " \\"
		}
	}
	return parts
}

func mockFits(lines []string) bool {
	for _, l := range lines {
		if len([]rune(l)) > textWidth {
			return false
		}
	}
	return true
}

// mockQuote single-quotes s for a POSIX shell.
func mockQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// mockLog writes one request to the log: a line of text, or a JSON line.
func mockLog(w io.Writer, e mock.Entry, asJSON bool) {
	if asJSON {
		b, err := json.Marshal(e)
		if err == nil {
			fmt.Fprintf(w, "%s\n", b)
		}
		return
	}
	line := fmt.Sprintf("%s %s %s %d", e.Time.Format("15:04:05"), e.Method, e.Path, e.Status)
	if e.Operation != "" {
		line += " " + e.Operation
	}
	if e.Error != "" {
		line += ": " + e.Error
	}
	if r := []rune(line); len(r) > 200 {
		line = string(r[:199]) + "…"
	}
	fmt.Fprintln(w, safeterm.Line(line))
}
