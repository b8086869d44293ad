package hugepages

import "testing"

// TestFreeHugePages: the free 2 MiB blocks are the order-9 column plus the
// blocks larger ones hold, over every zone; a fragmented kernel has none,
// and what is not buddyinfo counts for nothing.
func TestFreeHugePages(t *testing.T) {
	for _, tc := range []struct {
		name, info string
		want       int64
	}{
		{"this machine's", `Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 
Node 0, zone    DMA32      0      4      2      2      1      2      0      3      3      1    753 
Node 0, zone   Normal  16251  10742   7726   3491   2414   1527    847    524    345    133   1607 
`, 1 + 3*2 + 1 + 753*2 + 133 + 1607*2},
		{"fragmented", "Node 0, zone   Normal  96251  40742   7726   3491   2414   1527    847    524    345    0    0\n", 0},
		{"no order 9", "Node 0, zone   Normal  5  4  3\n", 0},
		{"two nodes", "Node 0, zone Normal 0 0 0 0 0 0 0 0 0 2 1\nNode 1, zone Normal 0 0 0 0 0 0 0 0 0 3 0\n", 2 + 2 + 3},
		{"garbled", "Node 0, zone Normal 0 0 0 0 0 0 0 0 0 x 9\nnot buddyinfo\n", 0},
		{"empty", "", 0},
	} {
		if got := freeHugePages(tc.info); got != tc.want {
			t.Errorf("%s: freeHugePages = %d, want %d", tc.name, got, tc.want)
		}
	}
}
