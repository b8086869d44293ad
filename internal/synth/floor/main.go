// Command floor times json.Unmarshal of the given files into interface{},
// one after the other: the floor any JSON-reading tool pays.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

func main() {
	start := time.Now()
	for _, p := range os.Args[1:] {
		b, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	fmt.Printf("json.Unmarshal of %d files: %v\n", len(os.Args)-1, time.Since(start))
}
