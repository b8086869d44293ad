package hugepages

import (
	"strconv"
	"strings"
)

// hugeOrder is the order of a 2 MiB block in /proc/buddyinfo's columns:
// blocks of 2^order pages of 4 KiB.
const hugeOrder = 9

// freeHugePages counts the free 2 MiB blocks /proc/buddyinfo lists (info,
// its text), a larger free block counting for the 2 MiB blocks it holds:
// how many huge pages the kernel can give without compacting memory. A
// line it cannot read counts for none.
func freeHugePages(info string) int64 {
	var n int64
	for line := range strings.Lines(info) {
		// "Node 0, zone   Normal  16251  10742 ... 1607": counts by order
		// after the zone's name.
		_, rest, ok := strings.Cut(line, "zone")
		if !ok {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) < 2 {
			continue
		}
		for order, f := range fields[1:] {
			if order < hugeOrder {
				continue
			}
			c, err := strconv.ParseInt(f, 10, 64)
			if err != nil || c < 0 || order-hugeOrder > 20 {
				break
			}
			n += c << (order - hugeOrder)
		}
	}
	return n
}
