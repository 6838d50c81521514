// Command defender.plugin is the Steampipe plugin for Microsoft Defender
// XDR advanced hunting. Steampipe starts it; run directly as
// "defender.plugin login" it signs a user in for delegated auth.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/turbot/steampipe-plugin-sdk/v5/plugin"

	"github.com/defender-steampipe/steampipe-plugin-defender/defender"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "login" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		err := defender.Login(ctx, os.Args[2:], os.Stdout)
		if errors.Is(err, flag.ErrHelp) {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "login:", err)
			os.Exit(1)
		}
		return
	}
	defender.DefaultFreeMemory()
	plugin.Serve(&plugin.ServeOpts{PluginFunc: defender.Plugin})
}
