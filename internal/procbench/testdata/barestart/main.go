// Command barestart is the floor a `connex --version` process is measured
// against: a Go program that links nothing beyond the runtime and os and
// prints one line. What connex costs above it is the initialisation of
// the packages it links and the size of its binary.
package main

import "os"

func main() { os.Stdout.WriteString("connex version dev\n") }
