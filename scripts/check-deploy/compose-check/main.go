// compose-check loads a Compose file the way `docker compose config -q` does (compose-go: schema
// validation, interpolation, merge of anchors, consistency of service references) and prints
// nothing on success. run.sh uses it when the docker CLI has no compose plugin.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: compose-check <compose.yaml>")
		os.Exit(2)
	}
	opts, err := cli.NewProjectOptions([]string{os.Args[1]},
		cli.WithOsEnv,
		cli.WithDotEnv,
		cli.WithName("todo-chatbot"),
	)
	if err == nil {
		_, err = cli.ProjectFromOptions(context.Background(), opts)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
