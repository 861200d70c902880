// Command connex-ppfake serves a local stand-in of the Power Platform API,
// its connector runtime and Azure Resource Manager's API connections, built
// from the real replies of the Power Platform API sample
// (../shared/data/powerplatform-apis.tar.gz), so that connex's platform
// commands can be tried offline. A development tool: not part of connex.
//
//	connex-ppfake --addr 127.0.0.1:8090 &
//	export CONNEX_PLATFORM_URL=http://127.0.0.1:8090 CONNEX_ACCESS_TOKEN=$(connex-ppfake --print-token)
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/connex-dev/connex/internal/ppfake"
)

// Token is the one token the fake accepts for every audience when started
// from this command (a real service would never do that: it is a fake).
const Token = "connex-ppfake-token"

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "loopback address to listen on")
	data := flag.String("data", "", "the API sample archive (default: ../shared/data/powerplatform-apis.tar.gz beside the current folder)")
	env := flag.String("environment", "Default-00000000-0000-0000-0000-000000000001", "the environment's id")
	printToken := flag.Bool("print-token", false, "print the token the fake accepts and exit")
	flag.Parse()
	if *printToken {
		fmt.Println(Token)
		return
	}
	if *data == "" {
		*data = filepath.Join("..", "shared", "data", "powerplatform-apis.tar.gz")
	}
	apis, err := ppfake.LoadArchive(*data)
	if err != nil {
		fmt.Fprintf(os.Stderr, "connex-ppfake: %v (pass --data PATH to the API sample archive)\n", err)
		os.Exit(1)
	}
	srv, err := ppfake.Start(apis, ppfake.Options{Addr: *addr, Token: Token})
	if err != nil {
		fmt.Fprintf(os.Stderr, "connex-ppfake: %v\n", err)
		os.Exit(1)
	}
	srv.AddEnvironment(ppfake.Environment{Name: *env, DisplayName: "Fake", Default: true})
	// One working connection per connector, and for SharePoint the three
	// refusals, so every message can be seen.
	for id := range apis {
		srv.AddConnection(ppfake.Connection{Name: "shared-" + id + "-1", Connector: id, Environment: *env,
			DisplayName: "you@example.com", CreatedBy: "you@example.com",
			ResourceID: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/fake/providers/Microsoft.Web/connections/" + id})
	}
	for _, r := range []int{403, 442, 429} {
		srv.AddConnection(ppfake.Connection{Name: fmt.Sprintf("shared-sharepointonline-%d", r), Connector: "sharepointonline",
			Environment: *env, DisplayName: fmt.Sprintf("answers %d", r), Refuse: r})
	}
	fmt.Printf("Power Platform fake of %d connectors on %s\n", len(apis), srv.URL)
	fmt.Printf("  export CONNEX_PLATFORM_URL=%s CONNEX_ACCESS_TOKEN=%s\n", srv.URL, Token)
	fmt.Printf("  environment %s; connections shared-<id>-1\n", *env)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	<-ctx.Done()
	srv.Close()
}
