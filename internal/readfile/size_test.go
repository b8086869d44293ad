package readfile

import "testing"

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64 // 0: an error
	}{
		{"512", 512}, {"512B", 512}, {"64KiB", 64 << 10}, {"512MiB", 512 << 20}, {"8GiB", 8 << 30},
		{"8 GiB", 8 << 30}, {"8gb", 8 << 30}, {"1TiB", 1 << 40}, {"16G", 16 << 30},
		{"", 0}, {"GiB", 0}, {"0", 0}, {"-1", 0}, {"1.5GiB", 0}, {"8PiB", 0}, {"9999999999999TiB", 0},
		{"99999999999999999999", 0},
	} {
		got, err := ParseSize(tc.in)
		if tc.want == 0 {
			if err == nil {
				t.Errorf("ParseSize(%q) = %d, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}
