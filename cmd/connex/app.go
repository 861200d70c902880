package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"syscall"

	"github.com/adrg/xdg"
	"github.com/spf13/cobra"

	"github.com/connex-dev/connex/catalog"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

// Exit codes shared by every command.
const (
	exitOK      = 0
	exitFailure = 1 // failed, nothing changed
	exitPartial = 2 // partial success
)

// EnvDataDir overrides the data folder, like --data-dir.
const EnvDataDir = "CONNEX_DATA_DIR"

// app is what every command shares: the data folder and the streams.
type app struct {
	dataDir string
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	ctx     context.Context
}

// exitError carries an exit code through cobra's error return.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// partial reports a partial success: the error is printed, exit code 2.
func partial(err error) error { return &exitError{code: exitPartial, err: err} }

// silentExit exits with code without printing anything more.
func silentExit(code int) error { return &exitError{code: code} }

// commands registers subcommands; each command file adds itself in init,
// so commands can be added without editing the root.
var commands []func(*app) *cobra.Command

func register(f func(*app) *cobra.Command) { commands = append(commands, f) }

// runTUI starts the interactive explorer; set by the tui wiring file.
var runTUI func(a *app) error

func buildVersion() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

func newRootCmd(a *app) *cobra.Command {
	var dataDir string
	root := &cobra.Command{
		Use:   "connex",
		Short: "Explore the Power Platform connector catalogue from the terminal",
		Long: `connex puts the whole Power Platform connector catalogue in the terminal:
search every connector and operation as you type, read actions, triggers,
parameters, auth types and limits offline, and try an operation.

With no command, connex opens the interactive explorer.`,
		Example: `  connex                              # open the explorer
  connex import ../shared/data/powerplatformconnectors.tar.gz
  connex search "send email" --kind action
  connex show zohomail/Send_Mail
  connex stats --json`,
		Version:       buildVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			dir, err := resolveDataDir(dataDir)
			if err != nil {
				return err
			}
			a.dataDir = dir
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if runTUI == nil {
				return errors.New("this build has no interactive explorer; see connex --help")
			}
			return runTUI(a)
		},
	}
	root.PersistentFlags().StringVar(&dataDir, "data-dir", "",
		"folder where connex keeps its catalogue, index and cache (env "+EnvDataDir+"; default "+filepath.Join(xdg.DataHome, "connex")+")")
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	for _, f := range commands {
		root.AddCommand(f(a))
	}
	return root
}

func resolveDataDir(flag string) (string, error) {
	dir := flag
	if dir == "" {
		dir = os.Getenv(EnvDataDir)
	}
	if dir == "" {
		dir = filepath.Join(xdg.DataHome, "connex")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("data folder %q: %w", dir, err)
	}
	return abs, nil
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, ctx: ctx}
	root := newRootCmd(a)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "connex:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "connex:", err)
	return exitFailure
}

// catalogPath is where the catalogue snapshot lives.
func (a *app) catalogPath() string { return a.data().CatalogPath() }

// loadCatalog loads the saved catalogue, or the built-in samples when there
// is none yet (usecase.Data.LoadCatalog).
func (a *app) loadCatalog() (*catalog.Catalog, error) { return a.data().LoadCatalog() }
