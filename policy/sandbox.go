package policy

import (
	"fmt"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// AllowNetFlag is the flag of `check` and `test` that gives user policies
// the built-ins in Denied back.
const AllowNetFlag = "--policy-allow-net"

// Denied are the built-ins user policies may not call unless AllowNetFlag is
// given, with why: a policy is code from wherever --policy points, and it
// sees every environment's values, so a built-in that reaches the network or
// the host's files would let it carry them off. The rest of OPA's built-ins
// are pure functions of their arguments, or harmless: time.now_ns and
// rand.intn only make a rule non-deterministic; opa.runtime returns {}
// because lockstep gives OPA no runtime (no environment variables, no
// config); io.jwt.decode_verify takes its keys as strings and fetches no
// JWKS; crypto.x509.* parse the PEM they are given.
var Denied = map[string]string{
	"http.send":          "it sends HTTP requests (and reads the TLS files it names)",
	"net.lookup_ip_addr": "it sends DNS queries",
	// A schema's $ref is fetched: http(s) URLs from the network, and
	// file:// URLs from any local path, unbounded (/dev/zero, a FIFO);
	// OPA's allow_net capability covers only the former.
	"json.match_schema":  "a schema's $ref makes it fetch URLs and read local files",
	"json.verify_schema": "a schema's $ref makes it fetch URLs and read local files",
}

// Capabilities are the OPA capabilities user policies are compiled with:
// this OPA's built-ins, minus Denied unless allowNet. The built-in rules
// compile with them too; they call none of the denied built-ins.
func Capabilities(allowNet bool) *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion()
	if allowNet {
		return caps
	}
	kept := caps.Builtins[:0]
	for _, b := range caps.Builtins {
		if _, denied := Denied[b.Name]; !denied {
			kept = append(kept, b)
		}
	}
	caps.Builtins = kept
	// An empty (not nil) list lets no host be reached by whatever else
	// honours allow_net (schema $refs at compile time).
	caps.AllowNet = []string{}
	return caps
}

// deniedProblem rewrites the compiler's "undefined function http.send" for
// a denied built-in into what happened and what to do; other messages are
// returned as they are.
func deniedProblem(code, msg string) string {
	if code != ast.TypeErr {
		return msg
	}
	name, ok := strings.CutPrefix(msg, "undefined function ")
	if !ok {
		return msg
	}
	why, denied := Denied[name]
	if !denied {
		return msg
	}
	return fmt.Sprintf("%s is disabled in policies: %s; run with %s to allow the built-ins that reach the network or the host's files",
		name, why, AllowNetFlag)
}
