package output

import (
	"io"
	"testing"
)

// BenchmarkFormats renders a 5,000-finding report in every format, so a
// big divergence (a new environment, a mass rename) stays cheap to report.
// The markdown format's fitting under GitHub's comment limit is the part
// to watch.
func BenchmarkFormats(b *testing.B) {
	r := bigReport(5000)
	for _, name := range Formats() {
		f, err := Lookup(name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := f.Format(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
