package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/platform"
)

// PlatformClient signs in silently (no prompt: a device-code sign-in must
// have been done with `connex login`) with the settings kept in
// configDir, and returns a Power Platform client and the environment to
// use: env when given, else the one chosen with `connex env use` (which
// may be ""). An error wraps platform.ErrNotSignedIn when nobody is
// signed in. The CLI and the explorer's call form use it.
func PlatformClient(configDir, env string) (*platform.Client, string, error) {
	st, err := platform.LoadSettings(configDir)
	if err != nil {
		return nil, "", err
	}
	cred, _, err := platform.SignIn{Dir: configDir, Method: st.Method}.Credential()
	if err != nil {
		return nil, "", err
	}
	if env == "" {
		env = st.Environment
	}
	return platform.New(cred, platform.Options{Endpoints: platform.EndpointsFromEnv(), CacheDir: configDir}), env, nil
}

// ErrNoEnvironment says no Power Platform environment was chosen.
var ErrNoEnvironment = errors.New("no environment chosen: run 'connex env list' and 'connex env use ID', or pass --environment ID")

// NeedsConnection reports whether a call of op goes through one of the
// user's connections: its path carries {connectionId}, as the operations
// of a connector whose definition is the platform's (ViaConnection) do.
// platform.Client.Prepare refuses any other operation.
func NeedsConnection(op *catalog.Operation) bool {
	return op.ThroughConnection()
}

// ConnectionTarget resolves a connection for a call of conn: a Logic Apps
// API connection resource id (/subscriptions/...) goes by dynamicInvoke
// (route 2); anything else is a Power Platform connection name, whose
// connector's runtime URL is asked of environment env (route 1).
func ConnectionTarget(ctx context.Context, cli *platform.Client, env string, conn *catalog.Connector, connection string) (*ConnectionCall, error) {
	if strings.HasPrefix(connection, "/subscriptions/") {
		return AzureTarget(cli, env, connection), nil
	}
	if env == "" {
		return nil, ErrNoEnvironment
	}
	rt, err := cli.RuntimeURL(ctx, env, conn.ID)
	if err != nil {
		return nil, fmt.Errorf("finding %s's runtime in environment %s: %w", conn.ID, env, err)
	}
	return &ConnectionCall{Client: cli, Target: platform.Target{Route: platform.RoutePowerPlatform,
		Environment: env, ConnectionID: connection, RuntimeURL: rt}}, nil
}

// ConnectionChoices are the user's connections to a connector, for a
// picker: in an environment, with the connector's runtime URL (route 1),
// and the Logic Apps API connections of the account's Azure subscriptions
// (route 2).
type ConnectionChoices struct {
	Environment string
	RuntimeURL  string
	Connections []platform.Connection
	Azure       []platform.AzureConnection
	// PowerPlatformErr and AzureErr say why a route could not be listed
	// while the other could (nil when it was).
	PowerPlatformErr, AzureErr error
}

// ListConnections lists the user's connections to conn in env, finding
// the connector's runtime URL so that a later call needs no further
// lookup, and, at the same time, the account's Logic Apps API connections
// to it. It fails only when neither route could be listed.
func ListConnections(ctx context.Context, cli *platform.Client, env string, conn *catalog.Connector) (*ConnectionChoices, error) {
	out := &ConnectionChoices{Environment: env}
	done := make(chan struct{})
	go func() {
		defer close(done)
		out.Azure, out.AzureErr = cli.AzureConnections(ctx, "", conn.ID)
	}()
	out.PowerPlatformErr = func() error {
		if env == "" {
			return ErrNoEnvironment
		}
		conns, err := cli.Connections(ctx, env, conn.ID)
		if err != nil {
			return err
		}
		rt, err := cli.RuntimeURL(ctx, env, conn.ID)
		if err != nil {
			return fmt.Errorf("finding %s's runtime in environment %s: %w", conn.ID, env, err)
		}
		out.RuntimeURL, out.Connections = rt, conns
		return nil
	}()
	<-done
	switch {
	case out.PowerPlatformErr != nil && (out.AzureErr != nil || len(out.Azure) == 0):
		// Route 1 is what most users have: its error explains.
		return nil, out.PowerPlatformErr
	case out.AzureErr != nil && out.PowerPlatformErr == nil:
		out.Azure = nil
	}
	return out, nil
}

// AzureTarget is a call through the Logic Apps API connection with
// resource id (route 2).
func AzureTarget(cli *platform.Client, env, resourceID string) *ConnectionCall {
	return &ConnectionCall{Client: cli, Target: platform.Target{Route: platform.RouteLogicApps,
		ConnectionResourceID: resourceID, Environment: env}}
}

// PreviewThrough builds the request a call through a Power Platform
// connection (route 1) would send, with a placeholder bearer token: no
// token is asked for and nothing is sent, so a screen may call it on every
// keystroke. The real call goes through CallSession.Through, which checks
// the same path values again.
func PreviewThrough(conn *catalog.Connector, op *catalog.Operation, in call.Input, connectionID, runtimeURL string) (*call.Request, error) {
	params := make(map[string]string, len(in.Params)+1)
	for k, v := range in.Params {
		params[k] = v
	}
	params[platform.ConnectionParam] = connectionID
	in.Params = params
	in.BaseURL = runtimeURL
	in.Rebind, in.Insecure = false, false
	u, err := url.Parse(runtimeURL)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%s has no usable runtime URL in this environment (%q)", conn.ID, runtimeURL)
	}
	// The token goes to the runtime host the platform named, as in
	// platform.Prepare.
	in.Auth = &call.Credentials{Type: call.AuthBearer, Secret: CallPlaceholderSecret,
		Bound: call.Binding{Scheme: u.Scheme, Host: u.Host}}
	return call.Build(conn, op, in)
}
