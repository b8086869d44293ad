//go:build race

package hugepages

// raceEnabled: the race detector keeps shadow memory for every allocation,
// the reservation's included, and it is resident.
const raceEnabled = true
