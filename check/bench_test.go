package check

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/lockstep-iac/lockstep/internal/parallel"
	"github.com/lockstep-iac/lockstep/internal/synth"
	"github.com/lockstep-iac/lockstep/output"
	"github.com/lockstep-iac/lockstep/policy"
)

// writePair writes synthetic staging and production plans of n resources
// each (about 11.5 KB per resource, as large real plans carry).
func writePair(b testing.TB, n int) []Input {
	b.Helper()
	dir := b.TempDir()
	var inputs []Input
	for _, env := range []string{"staging", "production"} {
		p := filepath.Join(dir, env+".plan.json")
		f, err := os.Create(p)
		if err != nil {
			b.Fatal(err)
		}
		if err := synth.WritePlan(f, synth.Spec{Env: env, Resources: n, Divergent: env == "staging"}); err != nil {
			b.Fatal(err)
		}
		f.Close()
		inputs = append(inputs, Input{Name: env, Path: p})
	}
	return inputs
}

func inputBytes(b *testing.B, inputs []Input) int64 {
	var total int64
	for _, in := range inputs {
		st, err := os.Stat(in.Path)
		if err != nil {
			b.Fatal(err)
		}
		total += st.Size()
	}
	return total
}

// seeded is how many findings the synthetic divergences must produce: the
// benchmark fails if the pipeline gets faster by getting them wrong.
var seeded = map[int]int{1000: 16, 10000: 163, 50000: 814}

// sizes are the pair sizes benchmarked: 1k and 10k resources per
// environment, and 50k (1.1 GB of plans, minutes to write) only when the
// -bench pattern names it: -bench 'BenchmarkCheck$/50000x2'.
func sizes() []int {
	out := []int{1000, 10000}
	if f := flag.Lookup("test.bench"); f != nil && strings.Contains(f.Value.String(), "50000") {
		out = append(out, 50000)
	}
	return out
}

// perSize runs body as a sub-benchmark for each size, on a fresh pair of
// plans, with the timer and byte count set up.
func perSize(b *testing.B, body func(b *testing.B, n int, inputs []Input)) {
	for _, n := range sizes() {
		b.Run(fmt.Sprintf("%dx2", n), func(b *testing.B) {
			inputs := writePair(b, n)
			b.SetBytes(inputBytes(b, inputs))
			b.ResetTimer()
			body(b, n, inputs)
		})
	}
}

// BenchmarkCheck measures the whole pipeline, end to end: read and parse
// both plans, match and compare, evaluate the Rego rules, render JSON.
func BenchmarkCheck(b *testing.B) {
	perSize(b, func(b *testing.B, n int, inputs []Input) {
		for b.Loop() {
			rep, err := Run(context.Background(), Options{Inputs: inputs, FailOn: FailOnNever})
			if err != nil {
				b.Fatal(err)
			}
			if len(rep.Findings) != seeded[n] {
				b.Fatalf("%d findings, want the %d seeded divergences", len(rep.Findings), seeded[n])
			}
			if err := (output.JSON{}).Format(io.Discard, rep); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// The user policies of BenchmarkCheckUserPolicy*, and the findings each
// adds to the seeded ones on the synthetic plans.
var (
	// singleEnvPolicy judges one environment on its own: it reads
	// input.env.production, converting every production instance it scans.
	// Every 250th instance has a private IP ending in .0; the one at index
	// 0 exists only in staging.
	singleEnvPolicy = `package lockstep.network

# METADATA
# title: No instance on a network address
# custom:
#   id: network-address-ip
deny contains {"msg": msg, "address": addr, "environments": ["production"]} if {
	some addr in input.env.production.by_type.aws_instance
	ip := input.env.production.resources[addr].after.private_ip
	endswith(ip, ".0")
	msg := sprintf("%s has the network address %s as its private IP", [addr, ip])
}
`
	singleEnvFindings = map[int]int{1000: 3, 10000: 39}

	// scanEnvPolicy is singleEnvPolicy iterating over every resource of the
	// environment instead of looking its instances up by type. OPA
	// iterates a lazy object by key, so this too converts only the
	// attributes it reads.
	scanEnvPolicy = `package lockstep.network

deny contains {"msg": msg, "address": addr, "environments": ["production"]} if {
	some addr, r in input.env.production.resources
	r.type == "aws_instance"
	endswith(r.after.private_ip, ".0")
	msg := sprintf("%s has the network address %s as its private IP", [addr, r.after.private_ip])
}
`

	// crossEnvPolicy compares matched resources through input.resources:
	// staging must not run a larger size of the same instance family than
	// production. Every 97th staging instance is an xlarge; the one at
	// index 0 exists only in staging.
	crossEnvPolicy = `package lockstep.sizing

sizes := {"large": 1, "xlarge": 2, "2xlarge": 3}

# METADATA
# title: Staging no larger than production
# custom:
#   id: staging-larger
#   severity: warning
warn contains {"msg": msg, "address": r.address, "environments": ["staging", "production"]} if {
	some r in input.resources
	r.type == "aws_instance"
	some a in r.attributes
	a.path == "instance_type"
	[sfam, ssize] := split(a.after.staging, ".")
	[pfam, psize] := split(a.after.production, ".")
	sfam == pfam
	sizes[ssize] > sizes[psize]
	msg := sprintf("staging runs %s, production %s", [a.after.staging, a.after.production])
}
`
	crossEnvFindings = map[int]int{1000: 10, 10000: 103}
)

// benchUserPolicy is BenchmarkCheck with one user policy: the same
// pipeline, plus loading, compiling and evaluating the policy.
func benchUserPolicy(b *testing.B, src, id string, findings map[int]int) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "policy.rego"), []byte(src), 0o644); err != nil {
		b.Fatal(err)
	}
	perSize(b, func(b *testing.B, n int, inputs []Input) {
		for b.Loop() {
			rep, err := Run(context.Background(), Options{Inputs: inputs, FailOn: FailOnNever, Policy: policy.Options{PolicyDirs: []string{dir}}})
			if err != nil {
				b.Fatal(err)
			}
			user := 0
			for _, f := range rep.Findings {
				if f.Rule == id {
					user++
				}
			}
			if len(rep.Findings)-user != seeded[n] || user != findings[n] {
				b.Fatalf("%d built-in and %d %s findings, want the %d seeded and %d from the policy", len(rep.Findings)-user, user, id, seeded[n], findings[n])
			}
			if err := (output.JSON{}).Format(io.Discard, rep); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCheckUserPolicy is BenchmarkCheck plus a user rule over one
// environment (input.env.production).
func BenchmarkCheckUserPolicy(b *testing.B) {
	benchUserPolicy(b, singleEnvPolicy, "network-address-ip", singleEnvFindings)
}

// BenchmarkCheckUserPolicyCrossEnv is BenchmarkCheck plus a user rule over
// the matched resources (input.resources).
func BenchmarkCheckUserPolicyCrossEnv(b *testing.B) {
	benchUserPolicy(b, crossEnvPolicy, "staging-larger", crossEnvFindings)
}

// BenchmarkUserPolicyEval isolates what a user policy adds to a check:
// evaluating its rule alone (every built-in rule disabled) over a fresh
// 10k x 2 input value, whose lazily converted resources a rule over
// input.env converts as it reads them. Reading the plans, building the
// input value and collecting the garbage that leaves are outside the timer.
func BenchmarkUserPolicyEval(b *testing.B) {
	const n = 10000
	inputs := writePair(b, n)
	doc, err := Document(Options{Inputs: inputs}, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name, src, id string
		findings      int
	}{
		{"single-env", singleEnvPolicy, "network-address-ip", singleEnvFindings[n]},
		{"single-env-scan", scanEnvPolicy, "lockstep.network.deny", singleEnvFindings[n]},
		{"cross-env", crossEnvPolicy, "staging-larger", crossEnvFindings[n]},
	} {
		b.Run(tc.name, func(b *testing.B) {
			dir := b.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "policy.rego"), []byte(tc.src), 0o644); err != nil {
				b.Fatal(err)
			}
			e, err := policy.New(context.Background(), policy.Options{PolicyDirs: []string{dir}})
			if err != nil {
				b.Fatal(err)
			}
			off := policy.Settings{}
			for _, id := range e.IDs("") {
				if id != tc.id {
					off[id] = policy.Setting{Disabled: true}
				}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				input, err := doc.Value()
				if err != nil {
					b.Fatal(err)
				}
				// Finish the collection that building the input started,
				// so it does not run on the timer.
				runtime.GC()
				b.StartTimer()
				fs, err := e.Evaluate(context.Background(), input, off)
				if err != nil {
					b.Fatal(err)
				}
				if len(fs) != tc.findings {
					b.Fatalf("%d findings, want %d", len(fs), tc.findings)
				}
			}
		})
	}
}

// BenchmarkUnmarshalFloor is what decoding the same two files into
// interface{} costs with encoding/json: the floor for any tool that reads
// all of them.
func BenchmarkUnmarshalFloor(b *testing.B) {
	perSize(b, func(b *testing.B, _ int, inputs []Input) {
		for b.Loop() {
			for _, in := range inputs {
				data, err := os.ReadFile(in.Path)
				if err != nil {
					b.Fatal(err)
				}
				var v any
				if err := json.Unmarshal(data, &v); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkValidateFloor is the least any reader does that refuses
// malformed JSON and reports each input's SHA-256, as lockstep must: both
// files streamed from disk side by side, as lockstep reads them, every byte
// hashed and validated by the JSON library lockstep uses (duplicate names
// allowed, as in lockstep's skip path), nothing decoded. Set beside
// BenchmarkStageRead and BenchmarkCheck in one run, it is how much of
// lockstep's time is left to win without a faster validator or hash.
func BenchmarkValidateFloor(b *testing.B) {
	perSize(b, func(b *testing.B, _ int, inputs []Input) {
		for b.Loop() {
			errs := make([]error, len(inputs))
			parallel.Each(len(inputs), func(i int) { errs[i] = validateAndHash(inputs[i].Path) })
			if err := errors.Join(errs...); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func validateAndHash(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	dec := jsontext.NewDecoder(io.TeeReader(bufio.NewReaderSize(f, 1<<20), h), jsontext.AllowDuplicateNames(true))
	if err := dec.SkipValue(); err != nil {
		return err
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return fmt.Errorf("%s: more after the document: %v", path, err)
	}
	h.Sum(nil)
	return nil
}
