package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/catalog"
	usecase "github.com/connex-dev/connex/internal/app"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/platform"
)

// The Power Platform commands: sign in, choose an environment, list the
// user's connections. Calls through a connection are `connex call
// --connection`.

func init() {
	register(newLoginCmd)
	register(newLogoutCmd)
	register(newEnvCmd)
	register(newConnectionsCmd)
}

// EnvConfigDir overrides connex's config folder (sign-in settings).
const EnvConfigDir = "CONNEX_CONFIG_DIR"

func configDir() (string, error) {
	if d := os.Getenv(EnvConfigDir); d != "" {
		return d, nil
	}
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no config folder: %v (set %s)", err, EnvConfigDir)
	}
	return filepath.Join(d, "connex"), nil
}

// platformClient signs in silently and returns a client and the
// environment to use (the flag, else the one chosen with env use).
func platformClient(envFlag string) (*platform.Client, string, error) {
	dir, err := configDir()
	if err != nil {
		return nil, "", err
	}
	return usecase.PlatformClient(dir, envFlag)
}

func needEnvironment(env string) error {
	if env == "" {
		return usecase.ErrNoEnvironment
	}
	return nil
}

func newLoginCmd(a *app) *cobra.Command {
	var method, tenant string
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Sign in to the Power Platform (device code, Azure CLI, environment or token)",
		Long: `Sign in to call connectors through your own Power Platform connections.

Methods: device (default: open the URL shown, enter the code; tokens stay in
the OS-protected cache: Windows DPAPI, macOS keychain, the Linux kernel
keyring), cli (the Azure CLI's 'az login'), env (AZURE_TENANT_ID,
AZURE_CLIENT_ID, AZURE_CLIENT_SECRET or a certificate: for scripts), token
(CONNEX_ACCESS_TOKEN: a token you already hold). connex never writes a token
anywhere else.`,
		Example: `  connex login
  connex login --method cli
  connex env list && connex env use Default-72f988bf-...`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := configDir()
			if err != nil {
				return err
			}
			s := platform.SignIn{Dir: dir, Method: method, Tenant: tenant,
				Prompt: func(m string) { fmt.Fprintln(a.stderr, safeterm.Text(m)) }}
			id, err := s.Login(a.ctx)
			if err != nil {
				return fmt.Errorf("sign-in failed: %w", err)
			}
			who := id.Account
			if who == "" {
				who = "(account not shown by this method)"
			}
			fmt.Fprintf(a.stdout, "Signed in as %s", safeterm.Line(who))
			if id.Tenant != "" {
				fmt.Fprintf(a.stdout, " (tenant %s)", safeterm.Line(id.Tenant))
			}
			fmt.Fprintf(a.stdout, " with %s.\n", id.Method)
			st, _ := platform.LoadSettings(dir)
			if st.Environment == "" {
				fmt.Fprintln(a.stdout, "Next: connex env list, then connex env use ID.")
			} else {
				fmt.Fprintf(a.stdout, "Environment: %s.\n", safeterm.Line(envLabel(st)))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&method, "method", "device", "device, cli, env or token")
	cmd.Flags().StringVar(&tenant, "tenant", "", "sign in to this tenant (id or domain)")
	return cmd
}

func envLabel(st platform.Settings) string {
	if st.EnvName != "" {
		return st.EnvName + " (" + st.Environment + ")"
	}
	return st.Environment
}

func newLogoutCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "logout",
		Short: "Forget the Power Platform sign-in (an Azure CLI sign-in is az's: az logout)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dir, err := configDir()
			if err != nil {
				return err
			}
			if err := (platform.SignIn{Dir: dir}).Logout(); err != nil {
				return fmt.Errorf("logout: %w", err)
			}
			fmt.Fprintln(a.stdout, "Signed out.")
			return nil
		},
	}
}

func newEnvCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "env",
		Short: "List the Power Platform environments you can use, and choose one",
	}
	var asJSON bool
	list := &cobra.Command{
		Use:   "list",
		Short: "List your environments (* marks the one in use)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cli, current, err := platformClient("")
			if err != nil {
				return err
			}
			envs, err := cli.Environments(a.ctx)
			if err != nil {
				return fmt.Errorf("listing environments: %w", err)
			}
			if asJSON {
				if envs == nil {
					envs = []platform.Environment{}
				}
				return writeJSON(a.stdout, map[string]any{"current": current, "environments": envs})
			}
			t := newTable(a.stdout)
			fmt.Fprintln(t, "\tID\tNAME\tREGION")
			for _, e := range envs {
				mark := ""
				if e.ID == current {
					mark = "*"
				}
				name := e.DisplayName
				if e.Default {
					name += " (default)"
				}
				fmt.Fprintf(t, "%s\t%s\t%s\t%s\n", mark, safeterm.Line(e.ID), safeterm.Line(name), safeterm.Line(e.Region))
			}
			return t.Flush()
		},
	}
	list.Flags().BoolVar(&asJSON, "json", false, `print JSON: {"current", "environments": [{"id","display_name","default","region"}]}`)
	use := &cobra.Command{
		Use:   "use ID|NAME",
		Short: "Use this environment for connections, calls and imports",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cli, _, err := platformClient("")
			if err != nil {
				return err
			}
			envs, err := cli.Environments(a.ctx)
			if err != nil {
				return fmt.Errorf("listing environments: %w", err)
			}
			var pick *platform.Environment
			for i, e := range envs {
				if e.ID == args[0] || strings.EqualFold(e.DisplayName, args[0]) {
					pick = &envs[i]
					break
				}
			}
			if pick == nil {
				return &exitError{code: exitFailure, err: fmt.Errorf("no environment %q: see connex env list", args[0])}
			}
			dir, _ := configDir()
			st, err := platform.LoadSettings(dir)
			if err != nil {
				return err
			}
			st.Environment, st.EnvName = pick.ID, pick.DisplayName
			if err := platform.SaveSettings(dir, st); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Using %s.\n", safeterm.Line(envLabel(st)))
			return nil
		},
	}
	cmd.AddCommand(list, use)
	return cmd
}

func newConnectionsCmd(a *app) *cobra.Command {
	var asJSON, azure bool
	var envFlag, subscription string
	cmd := &cobra.Command{
		Use:   "connections [CONNECTOR]",
		Short: "List your Power Platform connections, or your Logic Apps API connections (--azure)",
		Long: `connections lists the connections 'connex call --connection' can go through:
your Power Platform connections in the chosen environment (route 1: the
connection id), or with --azure your Logic Apps API connections in your Azure
subscriptions (route 2: the connection's resource id).`,
		Example: `  connex connections sharepointonline
  connex connections --json | jq -r '.[] | select(.statuses[0] == "Connected") | .id'
  connex connections office365 --azure
  connex call office365/SendEmailV2 --connection "$(connex connections office365 --azure --json | jq -r '.[0].id')" ...`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id := "" // every connector
			if len(args) == 1 {
				id = platform.ConnectorID(args[0])
			}
			if azure {
				return listAzureConnections(a, id, subscription, asJSON)
			}
			cli, env, err := platformClient(envFlag)
			if err != nil {
				return err
			}
			if err := needEnvironment(env); err != nil {
				return err
			}
			conns, err := cli.Connections(a.ctx, env, id)
			if err != nil {
				return err
			}
			if asJSON {
				if conns == nil {
					conns = []platform.Connection{}
				}
				return writeJSON(a.stdout, conns)
			}
			if len(conns) == 0 {
				fmt.Fprintln(a.stdout, "No connections. Create one in Power Automate or Power Apps (Data > Connections), then list again.")
				return nil
			}
			t := newTable(a.stdout)
			fmt.Fprintln(t, "CONNECTOR\tCONNECTION ID\tSTATUS\tNAME")
			for _, c := range conns {
				fmt.Fprintf(t, "%s\t%s\t%s\t%s\n", safeterm.Line(c.Connector), safeterm.Line(c.ID),
					safeterm.Line(strings.Join(c.Statuses, ",")), safeterm.Line(c.DisplayName))
			}
			return t.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, `print JSON: [{"id","connector","display_name","statuses","created_by","environment"}]; with --azure [{"id","name","connector","display_name","location","statuses","subscription"}]`)
	cmd.Flags().StringVar(&envFlag, "environment", "", "environment id (default: the one chosen with connex env use)")
	cmd.Flags().BoolVar(&azure, "azure", false, "list Logic Apps API connections in your Azure subscriptions instead")
	cmd.Flags().StringVar(&subscription, "subscription", "", "with --azure: one subscription id (default: every enabled one you can see, at most 50)")
	return cmd
}

// listAzureConnections is 'connex connections [id] --azure'.
func listAzureConnections(a *app, id, subscription string, asJSON bool) error {
	cli, _, err := platformClient("")
	if err != nil {
		return err
	}
	conns, err := cli.AzureConnections(a.ctx, subscription, id)
	if err != nil {
		return err
	}
	if asJSON {
		return writeJSON(a.stdout, conns)
	}
	if len(conns) == 0 {
		fmt.Fprintln(a.stdout, "No API connections. Create one in a Logic App (or the Azure portal), then list again.")
		return nil
	}
	t := newTable(a.stdout)
	fmt.Fprintln(t, "CONNECTOR\tSTATUS\tNAME\tRESOURCE ID")
	for _, c := range conns {
		fmt.Fprintf(t, "%s\t%s\t%s\t%s\n", safeterm.Line(c.Connector), safeterm.Line(strings.Join(c.Statuses, ",")),
			safeterm.Line(c.DisplayName), safeterm.Line(c.ID))
	}
	return t.Flush()
}

// callThrough resolves --connection (usecase.ConnectionTarget): a Logic
// Apps API connection resource id goes by dynamicInvoke; anything else is a
// Power Platform connection, whose connector's runtime URL is asked of the
// environment.
func callThrough(a *app, f *callFlags, conn *catalog.Connector) (*usecase.ConnectionCall, error) {
	cli, env, err := platformClient(f.env)
	if err != nil {
		return nil, err
	}
	return usecase.ConnectionTarget(a.ctx, cli, env, conn, f.connection)
}

// fetchEnvironment downloads the definitions of every connector env can
// use into a temporary folder in the importer's layout, and returns it with
// a function that removes it.
func fetchEnvironment(a *app, env string, quiet bool) (string, func(), error) {
	if env == "current" {
		env = ""
	}
	cli, env, err := platformClient(env)
	if err != nil {
		return "", nil, err
	}
	if err := needEnvironment(env); err != nil {
		return "", nil, err
	}
	dir, err := os.MkdirTemp("", "connex-environment-")
	if err != nil {
		return "", nil, err
	}
	done := func() { os.RemoveAll(dir) }
	n, failures, err := cli.FetchEnvironment(a.ctx, env, dir, nil)
	if err != nil {
		done()
		return "", nil, fmt.Errorf("environment %s: %w", env, err)
	}
	if !quiet {
		fmt.Fprintf(a.stderr, "Fetched %d connector definitions from environment %s", n, safeterm.Line(env))
		if len(failures) > 0 {
			fmt.Fprintf(a.stderr, " (%d failed)", len(failures))
		}
		fmt.Fprintln(a.stderr, ".")
		printCapped(a.stderr, len(failures), 5, "  ... and %d more\n", func(i int) {
			fmt.Fprintln(a.stderr, "  "+safeterm.Line(failures[i].Error()))
		})
	}
	return dir, done, nil
}
