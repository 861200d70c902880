package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/mock"
	"github.com/connex-dev/connex/platform"
	"github.com/connex-dev/connex/secrets"
)

// CallPlaceholderSecret stands for a profile's secret when nothing is sent
// (preview, dry run, curl): the request shows which credentials go where
// without reading the keyring or running a token command.
const CallPlaceholderSecret = "connex-placeholder-secret"

// CallMockPlaceholder stands for the mock's address when nothing is sent.
const CallMockPlaceholder = "http://connex-mock.localhost"

// IsSample reports whether the connector is one of the built-in samples,
// whose host never resolves: their calls go to the mock.
func IsSample(conn *catalog.Connector) bool {
	return conn != nil && strings.EqualFold(conn.Host, catalog.SampleHost)
}

// FindProfile looks up the auth profile for a call: the named one, or the
// connector's default profile when name is "". It returns nil without an
// error when no name was given and there is no default profile (the call
// goes without credentials); a named profile that does not exist is an
// error.
func FindProfile(store *secrets.Store, conn *catalog.Connector, name string) (*secrets.Profile, error) {
	want := name
	if want == "" {
		want = secrets.DefaultProfile
	}
	p, err := call.FindProfile(store, conn, want)
	switch {
	case err == nil:
		return &p, nil
	case name == "" && errors.Is(err, secrets.ErrNotFound):
		return nil, nil
	}
	return nil, err
}

// PlaceholderCredentials are a profile's credentials with the secret
// replaced by CallPlaceholderSecret, for requests that are not sent.
func PlaceholderCredentials(p secrets.Profile) *call.Credentials {
	secret := CallPlaceholderSecret
	if p.Type == call.AuthBasic {
		secret = "user:" + CallPlaceholderSecret
	}
	return call.ProfileCredentials(p, secret)
}

// StartMock starts an in-process mock of the connector on a free loopback
// port and returns its origin (call.Build adds the base path) and a stop
// function. The mock also stops when ctx ends.
func StartMock(ctx context.Context, conn *catalog.Connector) (string, func(), error) {
	srv, err := mock.Start(conn, mock.Options{})
	if err != nil {
		return "", nil, err
	}
	var once sync.Once
	stop := func() { once.Do(func() { _ = srv.Close() }) }
	go func() {
		select {
		case <-ctx.Done():
			stop()
		case <-srv.Done():
		}
	}()
	return srv.URL, stop, nil
}

// CallStage is a step of a test call, for progress.
type CallStage int

const (
	CallSecret  CallStage = iota // reading the profile's secret
	CallMock                     // starting the mock
	CallBuild                    // building and checking the request
	CallSend                     // sending, reading the response
	CallHistory                  // recording the call
)

// CallSession is one test call: secret lookup, mock start (samples and
// Mock), request build, send, history. The CLI (`connex call`, history
// replay) and the explorer's call form run it.
type CallSession struct {
	Connector *catalog.Connector
	Operation *catalog.Operation
	// Input holds the parameters and body; Auth and BaseURL are set by
	// the session.
	Input call.Input
	// Given are the parameters as the user gave them (@FILE, not the
	// file's content) for the history; nil: Input.Params.
	Given map[string]string
	// Profile supplies the credentials; nil: none.
	Profile *secrets.Profile
	// Secret resolves the profile's secret when sending, never before.
	Secret func(ctx context.Context, p secrets.Profile) (string, error)
	// Store, when set, binds a profile saved before bindings existed to
	// the connector's host at its first call (call.BindProfile); Notice
	// is told when that happens.
	Store  *secrets.Store
	Notice func(msg string)
	// Rebind sends the profile's credentials even where they are not
	// bound (another host, or http after https); Insecure allows them over
	// plain http to another machine. Without them Build refuses.
	Rebind, Insecure bool
	// BaseURL sends to this base URL instead of the connector's host.
	BaseURL string
	// Mock sends to an in-process mock of the connector.
	Mock bool
	// Through sends the call through one of the user's Power Platform
	// connections (route 1) or a Logic Apps API connection (route 2)
	// instead of to the connector's host; Profile, BaseURL and Mock are
	// not used then.
	Through *ConnectionCall
	// DryRun builds the request with placeholders (secret, mock address)
	// and sends nothing: no secret read, no mock started.
	DryRun bool
	// StartMock starts the mock (nil: StartMock).
	StartMock func(ctx context.Context, conn *catalog.Connector) (origin string, stop func(), err error)
	// Confirm, when set, is asked with the built request before it is
	// sent; an error stops the call (nothing sent, nothing recorded).
	Confirm func(req *call.Request) error
	// Sender sends calls through a connection's runtime host (route 1;
	// nil: a call.Client with the default policy).
	Sender *call.Client
	// Do sends the request (nil: a call.Client with the default policy).
	Do func(ctx context.Context, req *call.Request) (*call.Response, error)
	// History records the call, redacted (nil: not recorded).
	History *call.History
	// SkipCancelledHistory leaves a call cancelled through ctx out of the
	// history (the explorer's Esc).
	SkipCancelledHistory bool
	Now                  func() time.Time
}

// ConnectionCall is a call through a connection: the platform client (with
// its credential) and which connection.
type ConnectionCall struct {
	Client *platform.Client
	Target platform.Target
}

// CallResult is a sent call.
type CallResult struct {
	Request  *call.Request
	Response *call.Response // nil when no answer came
	// Err is the sending or reading error (with a partial Response when
	// the body could not be read to its end).
	Err error
	// HistoryErr says the call was not recorded.
	HistoryErr error
}

// Run builds the request and, unless DryRun, sends it and records it.
// Errors before sending (secret, mock, validation: a *call.ValidationError,
// Confirm) are returned as the error with nothing sent; errors of the
// exchange itself are in CallResult.Err.
func (s *CallSession) Run(ctx context.Context, progress func(CallStage)) (*CallResult, error) {
	step := func(st CallStage) {
		if progress != nil {
			progress(st)
		}
	}
	conn, op := s.Connector, s.Operation
	if s.Through != nil {
		return s.runThrough(ctx, step)
	}
	in := s.Input
	in.BaseURL = s.BaseURL
	in.Rebind, in.Insecure = s.Rebind, s.Insecure
	if s.Mock && s.BaseURL != "" {
		return nil, errors.New("--mock and --base-url cannot be used together")
	}
	if p := s.Profile; p != nil {
		if s.DryRun {
			in.Auth = PlaceholderCredentials(*p)
		} else {
			step(CallSecret)
			if s.Secret == nil {
				return nil, fmt.Errorf("auth profile %s: no secret store; pick \"none\"", p.Name)
			}
			prof := *p
			if s.Store != nil {
				bp, bound, err := call.BindProfile(s.Store, prof, conn, time.Now())
				if err != nil {
					return nil, err
				}
				if bound && s.Notice != nil {
					s.Notice(fmt.Sprintf("auth profile %s of %s is now bound to %s://%s; a call elsewhere needs --rebind", bp.Name, bp.Connector, bp.Scheme, bp.Host))
				}
				prof = bp
			}
			secret, err := s.Secret(ctx, prof)
			if err != nil {
				return nil, err
			}
			in.Auth = call.ProfileCredentials(prof, secret)
		}
	}
	// The mock starts before Build so the request carries its address.
	if s.Mock {
		if s.DryRun {
			in.BaseURL = CallMockPlaceholder
		} else {
			step(CallMock)
			start := s.StartMock
			if start == nil {
				start = StartMock
			}
			origin, stop, err := start(ctx, conn)
			if err != nil {
				return nil, fmt.Errorf("start the mock of %s: %w", conn.ID, err)
			}
			defer stop()
			in.BaseURL = origin
		}
	}
	step(CallBuild)
	req, err := call.Build(conn, op, in)
	if err != nil {
		return nil, err
	}
	res := &CallResult{Request: req}
	if s.DryRun {
		return res, nil
	}
	if s.Confirm != nil {
		if err := s.Confirm(req); err != nil {
			return nil, err
		}
	}
	step(CallSend)
	do := s.Do
	if do == nil {
		do = call.NewClient(call.ClientOptions{}).Do
	}
	res.Response, res.Err = do(ctx, req)
	s.record(ctx, step, res)
	return res, nil
}

// record appends the call to the history.
func (s *CallSession) record(ctx context.Context, step func(CallStage), res *CallResult) {
	req := res.Request
	if s.History != nil && !(s.SkipCancelledHistory && ctx.Err() != nil) {
		step(CallHistory)
		now := s.Now
		if now == nil {
			now = time.Now
		}
		given := s.Given
		if given == nil {
			given = s.Input.Params
		}
		// Replay uses the recorded base URL: never the mock's port of
		// the moment.
		base := s.BaseURL
		if s.Mock {
			base = ""
		}
		profName := ""
		if s.Profile != nil {
			profName = s.Profile.Name
		}
		e := s.History.NewEntry(req, res.Response, res.Err, call.CallRecord{
			Time: now(), Params: given, Body: s.Input.Body, Auth: profName, BaseURL: base, Mock: s.Mock,
		})
		res.HistoryErr = s.History.Append(e)
	}
}

// runThrough prepares the request for the connection, asks Confirm, and
// sends it through the platform; a refusal by the platform (401, 403, 442
// DLP, 429) is the result's Err, with the answer as the Response.
func (s *CallSession) runThrough(ctx context.Context, step func(CallStage)) (*CallResult, error) {
	step(CallBuild)
	p, err := s.Through.Client.Prepare(ctx, s.Connector, s.Operation, s.Input, s.Through.Target)
	if err != nil {
		return nil, err
	}
	res := &CallResult{Request: p.Request}
	if s.DryRun {
		res.Request = p.OnTheWire()
		return res, nil
	}
	if s.Confirm != nil {
		if err := s.Confirm(p.Request); err != nil {
			return nil, err
		}
	}
	step(CallSend)
	out, err := s.Through.Client.Invoke(ctx, p, s.Sender)
	if out != nil {
		res.Response = &call.Response{Status: out.Status, StatusText: fmt.Sprintf("%d %s", out.Status, platform.StatusText(out.Status)),
			Headers: out.Headers, Body: out.Body, Size: int64(len(out.Body)), Duration: out.Duration, URL: p.Request.MaskedURL()}
	}
	res.Err = err
	s.record(ctx, step, res)
	return res, nil
}
