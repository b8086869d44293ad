package pgtest

import (
	"net"
	"strconv"
	"testing"
)

// TestStart: the server accepts connections on its port until it is
// stopped.
func TestStart(t *testing.T) {
	s := Start(t)
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(s.Port))
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatalf("not listening: %v", err)
	}
	c.Close()
	s.Stop()
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Fatal("still listening after Stop")
	}
}
