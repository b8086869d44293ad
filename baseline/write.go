package baseline

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/lockstep-iac/lockstep/output"
)

// TODO reasons: the config loads with them, and unreviewed-declaration
// reports each block until a person replaces its reason.
const (
	todoDifference = "TODO: why does this differ?"
	todoOnlyIn     = "TODO: why does this exist in %s only?"
)

// maxCovered bounds the addresses a block's comment names; the rest are
// counted.
const maxCovered = 3

// render writes the file: a header, the environments with their guessed
// aliases, the promotion order, then the blocks. Everything it writes comes
// from the environment names, a fixed list of spellings, addresses and
// attribute paths, never from a value; comments pass through
// output.Printable so that a newline in an address cannot end a comment.
func render(envs []Environment, decls []Declaration) []byte {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	names := make([]string, len(envs))
	for i, e := range envs {
		names[i] = e.Name
	}
	comment(body,
		"Written by `lockstep init` from the differences between "+strings.Join(names, ", ")+".",
		"Each block declares a difference that exists today as intended. Review each",
		"one: write its reason, or fix the drift and delete the block. Until its",
		"reason is written, every check warns about it (unreviewed-declaration).",
		"The blocks are explained in docs/config.md.")
	body.AppendNewline()
	for _, e := range envs {
		for _, a := range e.Aliases {
			comment(body, "Alias "+a.guess()+".")
		}
		blk := body.AppendNewBlock("environment", []string{e.Name})
		if len(e.Aliases) > 0 {
			var vals []cty.Value
			for _, a := range e.Aliases {
				vals = append(vals, cty.StringVal(a.Token))
			}
			blk.Body().SetAttributeValue("aliases", cty.ListVal(vals))
		}
		body.AppendNewline()
	}
	comment(body, "The order changes are promoted in, as given with --env.")
	body.SetAttributeValue("promotion", strings2(names))
	for _, d := range decls {
		body.AppendNewline()
		comment(body, describe(d)...)
		blk := body.AppendNewBlock(d.Kind, []string{d.Label})
		b := blk.Body()
		b.SetAttributeValue("resources", strings2(d.Resources))
		reason := todoDifference
		if d.Kind == "expect_difference" {
			b.SetAttributeValue("attributes", strings2(d.Attributes))
		} else {
			reason = fmt.Sprintf(todoOnlyIn, d.Label)
		}
		b.SetAttributeValue("reason", cty.StringVal(reason))
	}
	// hclwrite spells an empty block over two lines.
	return bytes.ReplaceAll(hclwrite.Format(f.Bytes()), []byte(" {\n}\n"), []byte(" {}\n"))
}

// describe says what a block covers today, in a comment above it.
func describe(d Declaration) []string {
	n := len(d.Covers)
	named := d.Covers
	more := ""
	if n > maxCovered {
		named, more = d.Covers[:maxCovered], fmt.Sprintf(" and %d more", n-maxCovered)
	}
	list := strings.Join(named, ", ") + more + "."
	if d.Kind == "only_in" {
		return []string{"Only in " + d.Label + " today (missing-resource):", list}
	}
	what := "resource"
	if n > 1 {
		what = "resources"
	}
	return []string{
		fmt.Sprintf("%s differs on %d %s today (attribute-divergence):", d.Attributes[0], n, what),
		list,
		"The pattern covers every resource of the type there, also those equal today.",
	}
}

func comment(body *hclwrite.Body, lines ...string) {
	var toks hclwrite.Tokens
	for _, l := range lines {
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComment, Bytes: []byte("# " + output.Printable(l) + "\n")})
	}
	body.AppendUnstructuredTokens(toks)
}

func strings2(list []string) cty.Value {
	vals := make([]cty.Value, len(list))
	for i, s := range list {
		vals[i] = cty.StringVal(s)
	}
	return cty.ListVal(vals)
}
