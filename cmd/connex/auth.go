package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/secrets"
)

func init() { register(newAuthCmd) }

func newAuthCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "Manage auth profiles for test calls (secrets in the OS keyring)",
		Long: `An auth profile holds how to authenticate to one connector: an API key,
basic credentials (user:password) or a bearer token (what OAuth 2
connectors need). The secret goes to the OS keyring; a token may instead
come from an environment variable or a command run at call time. The
profile named 'default' is used when 'connex call' gets no --auth.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newAuthSetCmd(a), newAuthListCmd(a), newAuthDeleteCmd(a))
	return cmd
}

func newAuthSetCmd(a *app) *cobra.Command {
	var (
		profile, typ, in, keyName, env, command string
		secretStdin, insecureStorage            bool
	)
	cmd := &cobra.Command{
		Use:   "set CONNECTOR",
		Short: "Create or replace an auth profile",
		Example: `  printf '%s' "$DEEPL_KEY" | connex auth set deepl --secret-stdin
  printf 'ann:%s' "$PW" | connex auth set domaintoolsirisenric --type basic --secret-stdin
  connex auth set azuredigitaltwins --type bearer \
      --token-command 'az account get-access-token --resource https://digitaltwins.azure.net --query accessToken -o tsv'
  connex auth set nunify --profile ci --token-env NUNIFY_KEY`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := a.loadCatalog()
			if err != nil {
				return err
			}
			conn, ok := c.Connector(args[0])
			if !ok {
				return fmt.Errorf("no connector %q in the catalogue (try 'connex search %s')", args[0], shellArg(args[0]))
			}
			if typ == "" {
				typ = call.DefaultAuthType(conn)
				if typ == "" {
					return fmt.Errorf("%s declares no auth connex can apply; choose one with --type apikey|basic|bearer", conn.ID)
				}
			}
			if typ == "oauth2" {
				typ = call.AuthBearer
			}
			var secret string
			switch {
			case secretStdin:
				secret, err = authReadSecret(a.stdin)
				if err != nil {
					return err
				}
			case env == "" && command == "":
				if !callStdinIsTerminal(a.stdin) {
					return errors.New("give the secret with --secret-stdin (or --token-env / --token-command)")
				}
				secret, err = authPrompt(a, typ)
				if err != nil {
					return err
				}
			}
			store := secrets.Open(a.dataDir, secrets.Options{InsecureStorage: insecureStorage})
			// The profile is bound to where the connector's definition
			// sends calls now: a later import that moves the connector
			// cannot take the secret along (issue 15).
			bind := call.DefinitionBinding(conn)
			p := secrets.Profile{Connector: conn.ID, Name: profile, Type: typ, In: in, KeyName: keyName, Env: env, Command: command}
			if !bind.IsZero() {
				p.Scheme, p.Host, p.BoundAt = bind.Scheme, bind.Host, time.Now().UTC()
			}
			where, err := store.Set(p, secret)
			if err != nil {
				return err
			}
			if where == secrets.StorageFile {
				fmt.Fprintf(a.stderr, "WARNING: no OS keyring is available: the secret is stored in plain text in %s (readable by you only)\n", store.SecretsFile())
			}
			fmt.Fprintf(a.stdout, "Saved auth profile %q for %s (%s, secret in %s).\n", profile, conn.ID, typ, authWhere(where, env, command))
			if !bind.IsZero() {
				fmt.Fprintf(a.stdout, "It is sent only to %s (another host needs --rebind).\n", safeterm.Line(bind.String()))
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&profile, "profile", secrets.DefaultProfile, "profile name")
	fl.StringVar(&typ, "type", "", "apikey, basic or bearer (default: from the connector's declared auth)")
	fl.BoolVar(&secretStdin, "secret-stdin", false, "read the secret from standard input (basic: user:password)")
	fl.StringVar(&env, "token-env", "", "read the secret from this environment variable at call time (nothing is stored)")
	fl.StringVar(&command, "token-command", "", "run this command at call time and use what it prints (nothing is stored)")
	fl.StringVar(&in, "in", "", "apikey: header or query (default: as the connector declares)")
	fl.StringVar(&keyName, "key-name", "", "apikey: header or query parameter name (default: as the connector declares)")
	fl.BoolVar(&insecureStorage, "insecure-storage", false, "when no OS keyring works, keep the secret in a 0600 file in the data folder")
	return cmd
}

func authWhere(where, env, command string) string {
	switch where {
	case secrets.StorageKeyring:
		return "the OS keyring"
	case secrets.StorageFile:
		return "a 0600 file"
	case secrets.StorageEnv:
		return "$" + env + " at call time"
	case secrets.StorageCommand:
		return "the output of a command at call time"
	}
	return where
}

// authReadSecret reads one secret from r: the first line, without its line
// break (what `printf ... |` and `echo ... |` both give).
func authReadSecret(r io.Reader) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(r, 64<<10)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", fmt.Errorf("read the secret from standard input: %w", err)
	}
	s := strings.TrimRight(line, "\r\n")
	if s == "" {
		return "", errors.New("the secret read from standard input is empty")
	}
	return s, nil
}

func authPrompt(a *app, typ string) (string, error) {
	f := a.stdin.(*os.File)
	what := "Secret"
	if typ == call.AuthBasic {
		what = "user:password"
	}
	fmt.Fprintf(a.stderr, "%s (not echoed): ", what)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(a.stderr)
	if err != nil {
		return "", fmt.Errorf("read the secret: %w", err)
	}
	if len(b) == 0 {
		return "", errors.New("empty secret: nothing saved")
	}
	return string(b), nil
}

func newAuthListCmd(a *app) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List auth profiles (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			list, err := secrets.Open(a.dataDir, secrets.Options{}).List()
			if err != nil {
				return err
			}
			if asJSON {
				if list == nil {
					list = []secrets.Profile{}
				}
				return writeJSON(a.stdout, list)
			}
			if len(list) == 0 {
				fmt.Fprintln(a.stdout, "No auth profiles yet (connex auth set CONNECTOR --secret-stdin).")
				return nil
			}
			tw := newTable(a.stdout)
			fmt.Fprintln(tw, "CONNECTOR\tPROFILE\tTYPE\tSECRET FROM")
			for _, p := range list {
				from := p.Storage
				switch p.Storage {
				case secrets.StorageEnv:
					from = "$" + p.Env
				case secrets.StorageCommand:
					from = "command: " + p.Command
					if len(from) > 40 {
						from = from[:37] + "..."
					}
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", safeterm.Line(p.Connector), safeterm.Line(p.Name), p.Type, safeterm.Line(from))
			}
			return tw.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func newAuthDeleteCmd(a *app) *cobra.Command {
	var profile string
	cmd := &cobra.Command{
		Use:   "delete CONNECTOR",
		Short: "Delete an auth profile and its stored secret",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			store := secrets.Open(a.dataDir, secrets.Options{})
			id := args[0]
			if c, err := a.loadCatalog(); err == nil {
				if conn, ok := c.Connector(id); ok {
					id = conn.ID
				}
			}
			if err := store.Delete(id, profile); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "Deleted auth profile %q of %s.\n", profile, id)
			return nil
		},
	}
	cmd.Flags().StringVar(&profile, "profile", secrets.DefaultProfile, "profile name")
	return cmd
}
