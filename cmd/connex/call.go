package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	usecase "github.com/connex-dev/connex/internal/app"
	"github.com/connex-dev/connex/internal/limitio"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/secrets"
)

func init() { register(newCallCmd) }

// callFlags are the options of one call, shared by call and history replay.
type callFlags struct {
	params   []string
	body     string
	auth     string
	baseURL  string
	mock     bool
	dryRun   bool
	curl     bool
	yes      bool
	insecure bool
	timeout  time.Duration
	asJSON   bool
	include  bool
	// connection is a Power Platform connection id (route 1) or a Logic
	// Apps API connection resource id (route 2); env the environment.
	connection string
	env        string
	rebind     bool
}

func (f *callFlags) register(cmd *cobra.Command, withInput bool) {
	fl := cmd.Flags()
	if withInput {
		fl.StringArrayVarP(&f.params, "param", "p", nil, "parameter value NAME=VALUE (repeatable; NAME is the wire name or the display name; @FILE reads a file parameter's content)")
		fl.StringVar(&f.body, "body", "", "request body: JSON text, or @FILE (@- reads standard input); default: the skeleton when the body is required")
	}
	fl.StringVar(&f.auth, "auth", "", "auth profile to use (default: the connector's 'default' profile, if any)")
	fl.StringVar(&f.baseURL, "base-url", "", "send to this base URL instead of the connector's host (a proxy or a local server)")
	fl.BoolVar(&f.mock, "mock", false, "send to a mock of the connector started in-process (the sample connectors always go there)")
	fl.BoolVar(&f.dryRun, "dry-run", false, "print the request (secrets masked) without sending it")
	fl.BoolVar(&f.curl, "curl", false, "print the equivalent curl command (the secret read from $"+call.SecretEnv+") without sending")
	fl.BoolVarP(&f.yes, "yes", "y", false, "send without asking, for methods other than GET and HEAD")
	fl.BoolVar(&f.insecure, "insecure", false, "skip TLS certificate verification, and allow an API key or password over plain http to another machine (a warning is printed)")
	fl.BoolVar(&f.rebind, "rebind", false, "send the auth profile's credentials even to a host (or scheme) other than the one they were saved for")
	fl.DurationVar(&f.timeout, "timeout", call.DefaultTotalTimeout, "limit for the whole call")
	fl.BoolVar(&f.asJSON, "json", false, "print the request and response as JSON")
	fl.BoolVarP(&f.include, "include", "i", false, "print the status line and response headers before the body")
	fl.StringVar(&f.connection, "connection", "", "send through this Power Platform connection (see 'connex connections'), or a Logic Apps API connection resource id (/subscriptions/.../connections/NAME)")
	fl.StringVar(&f.env, "environment", "", "Power Platform environment of --connection (default: the one chosen with 'connex env use')")
}

func newCallCmd(a *app) *cobra.Command {
	var f callFlags
	cmd := &cobra.Command{
		Use:   "call CONNECTOR/OPERATION",
		Short: "Build, authenticate and send one operation's request",
		Long: `call builds the exact HTTP request of an operation from its definition,
adds the credentials of an auth profile (see 'connex auth'), and sends it.
Parameters are checked before anything is sent. GET and HEAD go at once;
other methods ask first (--yes in scripts). The sample connectors, and any
connector with --mock, go to a local mock server started in-process.
Every call is kept in the history, secrets redacted ('connex history').

The response body goes to standard output (raw when it is not a
terminal), the status line and notices to standard error. The exit code is
1 when the server answers 400 or more.`,
		Example: `  connex call sampletasks/ListTasks -p status=all
  connex call sampleorders/CreateOrder --body @order.json --yes
  connex call deepl/GetUsage --auth work --json
  connex call abstractexchangerate/Convert -p base=EUR -p target=USD --curl`,
		Args: cobra.RangeArgs(1, 2),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			return a.completeIDs(toComplete), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			target := strings.Join(args, "/")
			connID, opID, _ := strings.Cut(target, "/")
			if opID == "" {
				return fmt.Errorf("name an operation: connex call %s/OPERATION (see 'connex show %s')", shellArg(connID), shellArg(connID))
			}
			params, err := callParseParams(f.params)
			if err != nil {
				return err
			}
			var body []byte
			if cmd.Flags().Changed("body") {
				body, err = callReadBody(a, f.body)
				if err != nil {
					return err
				}
			}
			return callRun(a, &f, callSpec{connector: connID, operation: opID, params: params, body: body})
		},
	}
	f.register(cmd, true)
	return cmd
}

// callSpec is what to call, from the command line or a history entry.
type callSpec struct {
	connector, operation string
	params               map[string]string
	body                 []byte
	mock                 bool // from history: the call went to the mock
	baseURL              string
}

func callParseParams(list []string) (map[string]string, error) {
	out := make(map[string]string, len(list))
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("-p %q: want NAME=VALUE", kv)
		}
		if _, dup := out[k]; dup {
			return nil, fmt.Errorf("-p %s given twice (for an array, give one value: a,b or [\"a\",\"b\"])", k)
		}
		out[k] = v
	}
	return out, nil
}

// maxCallInput bounds a body or file parameter read from a file or
// standard input: larger is refused rather than sent cut short.
const maxCallInput = 64 << 20

func callReadBody(a *app, spec string) ([]byte, error) {
	switch {
	case spec == "@-":
		b, err := readCallInput(a.stdin, "standard input")
		if err != nil {
			return nil, fmt.Errorf("--body @-: %w", err)
		}
		return b, nil
	case strings.HasPrefix(spec, "@"):
		b, err := readCallFile(spec[1:])
		if err != nil {
			return nil, fmt.Errorf("--body: %w", err)
		}
		return b, nil
	}
	return []byte(spec), nil
}

// readCallFile reads a file named by @FILE, at most maxCallInput bytes.
func readCallFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readCallInput(f, path)
}

// readCallInput reads r whole, refusing more than maxCallInput bytes (what
// is named says where the input came from).
func readCallInput(r io.Reader, what string) ([]byte, error) {
	b, over, err := limitio.ReadAll(r, maxCallInput)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", what, err)
	}
	if over {
		return nil, fmt.Errorf("%s is over %d MiB; nothing was sent", what, maxCallInput>>20)
	}
	return b, nil
}

// callFileParams reads @FILE values of file parameters.
func callFileParams(op *catalog.Operation, params map[string]string) error {
	for _, p := range op.Parameters {
		if p.Type != "file" {
			continue
		}
		for _, k := range []string{p.Key, p.Name} {
			v, ok := params[k]
			if !ok || !strings.HasPrefix(v, "@") {
				continue
			}
			b, err := readCallFile(v[1:])
			if err != nil {
				return fmt.Errorf("parameter %q: %w", p.Key, err)
			}
			params[k] = string(b)
		}
	}
	return nil
}

func callRun(a *app, f *callFlags, spec callSpec) error {
	c, err := a.openSnapshot()
	if err != nil {
		return err
	}
	conn, ok, err := c.ConnectorByID(spec.connector)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("no connector %q in the catalogue (try 'connex search %s')", spec.connector, shellArg(spec.connector))
	}
	op := conn.Operation(spec.operation)
	if op == nil {
		return fmt.Errorf("connector %q has no operation %q (see 'connex show %s')", conn.ID, spec.operation, shellArg(conn.ID))
	}
	if spec.params == nil {
		spec.params = map[string]string{}
	}
	// The history keeps the parameters as given (@FILE, not the file).
	given := make(map[string]string, len(spec.params))
	for k, v := range spec.params {
		given[k] = v
	}
	if err := callFileParams(op, spec.params); err != nil {
		return err
	}
	sending := !f.dryRun && !f.curl
	if f.connection != "" {
		if f.mock || f.baseURL != "" || f.auth != "" {
			return errors.New("--connection cannot be used with --mock, --base-url or --auth: the connection holds the credentials")
		}
		through, err := callThrough(a, f, conn)
		if err != nil {
			return err
		}
		return callSend(a, f, conn, op, &usecase.CallSession{
			Connector: conn, Operation: op,
			Input:   call.Input{Params: spec.params, Body: spec.body},
			Given:   given,
			Through: through,
			DryRun:  !sending,
			Confirm: func(req *call.Request) error { return callConfirm(a, f, req, false) },
			Sender:  call.NewClient(call.ClientOptions{TotalTimeout: f.timeout}),
			History: call.OpenHistory(a.dataDir),
		})
	}
	if conn.ViaConnection && f.baseURL == "" && spec.baseURL == "" && !f.mock && !spec.mock {
		return fmt.Errorf("%s calls go through a Power Platform connection: pass --connection ID (list yours with 'connex connections %s'), or try it on the local mock with --mock", conn.ID, conn.ID)
	}
	baseURL := f.baseURL
	if baseURL == "" {
		baseURL = spec.baseURL
	}
	useMock := f.mock || spec.mock || (baseURL == "" && usecase.IsSample(conn))
	if useMock && f.baseURL != "" {
		return errors.New("--mock and --base-url cannot be used together")
	}
	if useMock {
		baseURL = "" // the mock's address replaces it
	}

	// Credentials.
	store := secrets.Open(a.dataDir, secrets.Options{})
	prof, err := usecase.FindProfile(store, conn, f.auth)
	if err != nil {
		return err
	}
	if prof == nil {
		if t := call.DefaultAuthType(conn); t != "" && !useMock {
			fmt.Fprintf(a.stderr, "note: no auth profile for %s; sending without credentials (create one with 'connex auth set %s --secret-stdin')\n", conn.ID, shellArg(conn.ID))
		}
	}
	if useMock && !sending {
		// Nothing is sent, so no mock is started: this address stands
		// for the one it would get.
		fmt.Fprintf(a.stderr, "note: %s calls go to a local mock that connex starts when sending; %s stands for its address\n", conn.ID, usecase.CallMockPlaceholder)
	}

	client := call.NewClient(call.ClientOptions{Insecure: f.insecure, TotalTimeout: f.timeout})
	session := &usecase.CallSession{
		Connector: conn, Operation: op,
		Input:     call.Input{Params: spec.params, Body: spec.body},
		Given:     given,
		Profile:   prof,
		Secret:    store.Secret,
		Store:     store,
		Notice:    func(msg string) { fmt.Fprintln(a.stderr, "note: "+msg) },
		Rebind:    f.rebind,
		Insecure:  f.insecure,
		BaseURL:   baseURL,
		Mock:      useMock,
		DryRun:    !sending,
		StartMock: callStartMock,
		Confirm: func(req *call.Request) error {
			if err := callConfirm(a, f, req, useMock); err != nil {
				return err
			}
			if f.insecure {
				fmt.Fprintln(a.stderr, "WARNING: TLS certificate verification is OFF for this call (--insecure): anyone on the path can read and change it")
			}
			return nil
		},
		Do:      client.Do,
		History: call.OpenHistory(a.dataDir),
	}
	return callSend(a, f, conn, op, session)
}

// callSend runs the session and prints the request or the answer.
func callSend(a *app, f *callFlags, conn *catalog.Connector, op *catalog.Operation, session *usecase.CallSession) error {
	res, err := session.Run(a.ctx, nil)
	if err != nil {
		var ve *call.ValidationError
		if errors.As(err, &ve) {
			var b strings.Builder
			fmt.Fprintf(&b, "%s/%s: nothing was sent:", conn.ID, op.ID)
			for _, p := range ve.Problems {
				b.WriteString("\n  " + safeterm.Line(p.Error()))
			}
			return errors.New(b.String())
		}
		return err
	}
	req, resp, callErr := res.Request, res.Response, res.Err

	if f.curl {
		mode := call.CurlEnv
		fmt.Fprint(a.stdout, safeterm.Text(call.Curl(req, mode)))
		return nil
	}
	if f.dryRun {
		if f.asJSON {
			return writeJSON(a.stdout, callJSON{Request: callRequestJSON(req)})
		}
		fmt.Fprint(a.stdout, safeterm.Text(call.Preview(req)))
		return nil
	}
	if res.HistoryErr != nil {
		fmt.Fprintln(a.stderr, "warning: the call was not saved in the history:", res.HistoryErr)
	}
	if callErr != nil && resp == nil {
		return fmt.Errorf("%s %s: %w", req.Method, safeterm.Line(req.MaskedURL()), callSafeError{callErr})
	}
	if session.Through != nil && callErr != nil {
		// The platform refused the call (401, 403, 442, 429): say why.
		return fmt.Errorf("%s/%s through connection %s: %w", conn.ID, op.ID, safeterm.Line(f.connection), callSafeError{callErr})
	}
	if err := callPrint(a, f, req, resp); err != nil {
		return err
	}
	if callErr != nil {
		return fmt.Errorf("reading the response: %w", callSafeError{callErr})
	}
	if resp.Status >= 400 {
		if !f.asJSON {
			fmt.Fprintf(a.stderr, "connex: the server answered %s\n", safeterm.Line(resp.StatusText))
		}
		return silentExit(exitFailure)
	}
	return nil
}

// callConfirm asks before sending anything but GET and HEAD. A mock never
// reaches a real service, so it is not asked about.
func callConfirm(a *app, f *callFlags, req *call.Request, mock bool) error {
	if req.Method == http.MethodGet || req.Method == http.MethodHead || f.yes || mock {
		return nil
	}
	if !callStdinIsTerminal(a.stdin) {
		return fmt.Errorf("refusing to send %s %s without confirmation: standard input is not a terminal; pass --yes to send it",
			req.Method, safeterm.Line(req.MaskedURL()))
	}
	fmt.Fprintf(a.stderr, "Send %s %s ? [y/N] ", req.Method, safeterm.Line(req.MaskedURL()))
	line, _ := bufio.NewReader(a.stdin).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return nil
	}
	fmt.Fprintln(a.stderr, "Not sent.")
	return silentExit(exitFailure)
}

func callStdinIsTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// JSON output.

type callJSON struct {
	Request  callReqJSON   `json:"request"`
	Response *callRespJSON `json:"response,omitempty"`
}

type callReqJSON struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers"`
	Body    any               `json:"body,omitempty"`
}

type callRespJSON struct {
	Status     int               `json:"status"`
	Headers    map[string]string `json:"headers"`
	Body       any               `json:"body"`
	DurationMS float64           `json:"duration_ms"`
	Size       int64             `json:"size"`
	Truncated  bool              `json:"truncated,omitempty"`
	Notices    []string          `json:"notices,omitempty"`
}

func callRequestJSON(req *call.Request) callReqJSON {
	return callReqJSON{
		Method:  req.Method,
		URL:     req.MaskedURL(),
		Headers: callFlat(req.MaskedHeader()),
		Body:    callBodyValue(req.ScrubBytes(req.Body)),
	}
}

func callFlat(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, vv := range h {
		out[k] = strings.Join(vv, ", ")
	}
	return out
}

// callBodyValue is the body as JSON when it parses, else a string.
func callBodyValue(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	if json.Valid(b) {
		return json.RawMessage(b)
	}
	return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
}

func callPrint(a *app, f *callFlags, req *call.Request, resp *call.Response) error {
	// A server may echo credentials back: scrub them everywhere.
	body := req.ScrubBytes(resp.Body)
	if f.asJSON {
		return writeJSON(a.stdout, callJSON{
			Request: callRequestJSON(req),
			Response: &callRespJSON{
				Status: resp.Status, Headers: callFlat(req.ScrubHeader(resp.Headers)), Body: callBodyValue(body),
				DurationMS: float64(resp.Duration.Microseconds()) / 1000, Size: resp.Size,
				Truncated: resp.Truncated, Notices: resp.Notices,
			},
		})
	}
	status := fmt.Sprintf("%s · %s · %s", resp.StatusText, call.FormatDuration(resp.Duration), call.FormatSize(resp.Size))
	if resp.Redirects > 0 {
		status += fmt.Sprintf(" · %d redirect(s)", resp.Redirects)
	}
	tty := isTerminal(a.stdout)
	if f.include {
		fmt.Fprintln(a.stdout, safeterm.Line(resp.Proto+" "+resp.StatusText))
		for _, l := range req.HeaderLines(resp.Headers) {
			fmt.Fprintln(a.stdout, safeterm.Line(l))
		}
		fmt.Fprintln(a.stdout)
	} else {
		fmt.Fprintln(a.stderr, safeterm.Line(status))
	}
	if tty {
		var pretty bytes.Buffer
		if json.Indent(&pretty, body, "", "  ") == nil {
			body = pretty.Bytes()
		}
		text := safeterm.Text(string(body))
		fmt.Fprint(a.stdout, text)
		if text != "" && !strings.HasSuffix(text, "\n") {
			fmt.Fprintln(a.stdout)
		}
	} else {
		// Raw bytes for pipes and files (a download stays intact).
		if _, err := a.stdout.Write(body); err != nil {
			return err
		}
	}
	for _, n := range resp.Notices {
		fmt.Fprintln(a.stderr, "notice:", n)
	}
	return nil
}

// callStartMock starts the in-process mock (usecase.StartMock); a
// variable so tests can count or replace it.
var callStartMock = usecase.StartMock

// callSafeError shows an error whose text may quote the server (a header
// line, a TLS name) without control characters.
type callSafeError struct{ err error }

func (e callSafeError) Error() string { return safeterm.Line(e.err.Error()) }
func (e callSafeError) Unwrap() error { return e.err }
