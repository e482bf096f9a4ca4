// dockerfile-check parses a Dockerfile with BuildKit's own parser and instruction decoder (what
// `docker build` does first) and runs BuildKit's lint rules, so syntax errors, unknown flags and
// lint warnings fail without a Docker engine. run.sh uses it beside the other offline checks.
package main

import (
	"fmt"
	"os"

	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: dockerfile-check <Dockerfile>")
		os.Exit(2)
	}
	f, err := os.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	ast, err := parser.Parse(f)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	problems := 0
	for _, w := range ast.Warnings {
		fmt.Fprintf(os.Stderr, "warning: %s\n", w.Short)
		problems++
	}
	lint := linter.New(&linter.Config{Warn: func(rule, description, url, msg string, loc []parser.Range) {
		line := 0
		if len(loc) > 0 {
			line = loc[0].Start.Line
		}
		fmt.Fprintf(os.Stderr, "line %d: %s: %s\n", line, rule, msg)
		problems++
	}})
	stages, _, err := instructions.Parse(ast.AST, lint)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if len(stages) == 0 {
		fmt.Fprintln(os.Stderr, "no build stage")
		os.Exit(1)
	}
	if problems > 0 {
		os.Exit(1)
	}
}
