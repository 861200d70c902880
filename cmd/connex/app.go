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
	usecase "github.com/connex-dev/connex/internal/app"
	"github.com/connex-dev/connex/internal/clio"
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
	// io decides terminal, width and sanitising for every output; stdout
	// is io.Out (sanitised on a terminal).
	io *clio.IOStreams
	// setupData, when set, adjusts the use cases' data folder (tests
	// inject an index builder or a clock).
	setupData func(*usecase.Data)
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
	return runWith(context.Background(), nil, args, stdin, stdout, stderr)
}

// runWith is run with a parent context (tests cancel it as Ctrl-C would)
// and a hook on the data folder's use cases (nil in the binary).
func runWith(parent context.Context, setupData func(*usecase.Data), args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runIO(parent, setupData, args, clio.System(stdin, stdout, stderr))
}

// runIO is runWith on given streams (tests pass clio.Test streams to act
// as a terminal).
func runIO(parent context.Context, setupData func(*usecase.Data), args []string, ios *clio.IOStreams) int {
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{stdin: ios.In, stdout: ios.Out, stderr: ios.ErrOut, io: ios, ctx: ctx, setupData: setupData}
	root := newRootCmd(a)
	args = clio.NormalizeArgs(root, args)
	if tuneGC {
		// Here, not in main: the command tree is built once.
		tuneCollector(root, args)
	}
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	ios.Flush()
	return exitCode(ios, err)
}

// catalogPath is where the catalogue snapshot lives.
func (a *app) catalogPath() string { return a.data().CatalogPath() }

// loadCatalog loads the saved catalogue, or the built-in samples when there
// is none yet (usecase.Data.LoadCatalog).
func (a *app) loadCatalog() (*catalog.Catalog, error) { return a.data().LoadCatalog() }
