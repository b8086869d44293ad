package parser

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/lockstep-iac/lockstep/internal/guard"
	"github.com/lockstep-iac/lockstep/internal/readfile"
	"github.com/lockstep-iac/lockstep/internal/sourceaddr"
)

// LockFile is a Terraform dependency lock file (.terraform.lock.hcl): the
// provider versions `terraform init` selected for one environment.
type LockFile struct {
	Path string
	// Providers is keyed by the provider block's label as written, the
	// provider's source address ("registry.terraform.io/hashicorp/aws").
	// Empty, never nil, for a lock file without providers.
	Providers map[string]LockedProvider
}

// LockedProvider is one provider block of a lock file.
type LockedProvider struct {
	// Version is the exact version selected ("5.31.0").
	Version string
}

const lockFileHint = "regenerate it with `terraform init` or `terraform providers lock`"

var (
	lockFileSchema = &hcl.BodySchema{
		Blocks: []hcl.BlockHeaderSchema{{Type: "provider", LabelNames: []string{"source"}}},
	}
	// Unknown arguments inside a provider block are tolerated: a later
	// Terraform may add fields, and those must not make lockstep fail.
	lockedProviderSchema = &hcl.BodySchema{
		Attributes: []hcl.AttributeSchema{
			{Name: "version", Required: true},
			{Name: "constraints"},
			{Name: "hashes"},
		},
	}
)

// ReadLockFile reads and parses a .terraform.lock.hcl: a regular file of at
// most readfile.ConfigLimit bytes. A file that cannot be read is a
// *readfile.Error naming the path (errors.Is(err, fs.ErrNotExist) works for
// a missing one); a file that is not a valid lock file is an *InputError.
func ReadLockFile(path string) (*LockFile, error) {
	data, err := readfile.Read(path, readfile.ConfigLimit)
	if err != nil {
		var re *readfile.Error
		if errors.As(err, &re) && re.Hint == "" && !errors.Is(err, fs.ErrNotExist) {
			re.Hint = lockFileHint
		}
		return nil, err
	}
	return ParseLockFile(path, data)
}

// ParseLockFile parses the bytes of a .terraform.lock.hcl; filename is used
// in errors and as the LockFile's Path. Errors are *InputError and never
// contain a value from the file.
func ParseLockFile(filename string, src []byte) (*LockFile, error) {
	text, err := toUTF8(src)
	if err != nil {
		return nil, &InputError{File: filename, Problem: err.Error(), Hint: "save the file as UTF-8"}
	}
	// HCL's parser has no depth limit: bound the nesting before it runs.
	if err := guard.HCL(text); err != nil {
		return nil, &InputError{File: filename, Problem: "not a valid Terraform lock file: " + err.Error(), Hint: lockFileHint}
	}
	f, diags := hclsyntax.ParseConfig(text, filename, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, lockFileError(filename, diags)
	}
	content, diags := f.Body.Content(lockFileSchema)
	if diags.HasErrors() {
		return nil, lockFileError(filename, diags)
	}
	lf := &LockFile{Path: filename, Providers: make(map[string]LockedProvider, len(content.Blocks))}
	seen := make(map[string]hcl.Range, len(content.Blocks))
	for _, b := range content.Blocks {
		// A provider address has no place for credentials, but the label
		// is free text that reaches reports and errors: hide any.
		source := sourceaddr.Redact(b.Labels[0])
		if source == "" {
			return nil, lockFileError(filename, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Empty provider address",
				Detail:   "A provider block's label must be the provider's source address.",
				Subject:  b.LabelRanges[0].Ptr(),
			}})
		}
		if first, dup := seen[source]; dup {
			return nil, lockFileError(filename, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Duplicate provider lock",
				Detail:   fmt.Sprintf("Provider %q was already locked at line %d.", source, first.Start.Line),
				Subject:  b.DefRange.Ptr(),
			}})
		}
		seen[source] = b.DefRange
		p, diags := decodeLockedProvider(source, b.Body)
		if diags.HasErrors() {
			return nil, lockFileError(filename, diags)
		}
		lf.Providers[source] = p
	}
	return lf, nil
}

func decodeLockedProvider(source string, body hcl.Body) (LockedProvider, hcl.Diagnostics) {
	var p LockedProvider
	content, _, diags := body.PartialContent(lockedProviderSchema)
	if diags.HasErrors() {
		return p, diags
	}
	if a := content.Attributes["version"]; a != nil {
		v, diags := literal(source, a, false)
		if diags.HasErrors() {
			return p, diags
		}
		if p.Version = v.AsString(); p.Version == "" {
			return p, hcl.Diagnostics{attrError(source, a, "Empty provider version", "must not be empty")}
		}
	}
	// constraints is checked like the other attributes but not kept: the
	// versions compared are the selected ones, whatever allowed them.
	if a := content.Attributes["constraints"]; a != nil {
		if _, diags := literal(source, a, false); diags.HasErrors() {
			return p, diags
		}
	}
	if a := content.Attributes["hashes"]; a != nil {
		v, diags := literal(source, a, true)
		if diags.HasErrors() {
			return p, diags
		}
		for it := v.ElementIterator(); it.Next(); {
			if _, e := it.Element(); e.IsNull() || !e.IsKnown() || e.Type() != cty.String {
				return p, hcl.Diagnostics{attrError(source, a, "Invalid provider hashes", "must be a list of strings")}
			}
		}
	}
	return p, nil
}

// literal evaluates an attribute without variables or functions and checks
// that it is a known, non-null string (list false) or list of strings
// (list true; a tuple as `[...]` writes it, elements checked by the caller).
func literal(source string, a *hcl.Attribute, list bool) (cty.Value, hcl.Diagnostics) {
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		return cty.NilVal, diags
	}
	t := v.Type()
	ok := !v.IsNull() && v.IsWhollyKnown() && !v.IsMarked()
	what := "must be a string"
	if list {
		ok = ok && (t.IsListType() || t.IsTupleType())
		what = "must be a list of strings"
	} else {
		ok = ok && t == cty.String
	}
	if !ok {
		return cty.NilVal, hcl.Diagnostics{attrError(source, a, "Invalid provider "+a.Name, what+", found "+typeName(v))}
	}
	return v, nil
}

func attrError(source string, a *hcl.Attribute, summary, problem string) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf("The %q argument of provider %q %s.", a.Name, source, problem),
		Subject:  a.Expr.Range().Ptr(),
	}
}

// typeName names a value's type, never the value.
func typeName(v cty.Value) string {
	switch t := v.Type(); {
	case v.IsNull():
		return "null"
	case t == cty.String:
		return "a string"
	case t == cty.Number:
		return "a number"
	case t == cty.Bool:
		return "a boolean"
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		return "a list"
	case t.IsMapType() || t.IsObjectType():
		return "an object"
	}
	return "a value of another type"
}

// lockFileError reports the first error diagnostic as an *InputError on one
// line: its position, summary and, for the diagnostics known to name only
// block types, labels and argument names, its detail. The details of other
// diagnostics (such as HCL's "Invalid escape sequence") may quote part of a
// value written in the file, so they are left out; the position and the
// summary say enough.
func lockFileError(filename string, diags hcl.Diagnostics) error {
	d := diags[0]
	for _, e := range diags {
		if e.Severity == hcl.DiagError {
			d = e
			break
		}
	}
	var b strings.Builder
	b.WriteString("not a valid Terraform lock file: ")
	if d.Subject != nil {
		fmt.Fprintf(&b, "line %d, column %d: ", d.Subject.Start.Line, d.Subject.Start.Column)
	}
	b.WriteString(oneLine(d.Summary))
	if d.Detail != "" && safeDetail(d.Summary) {
		b.WriteString(": ")
		b.WriteString(strings.TrimSuffix(oneLine(d.Detail), "."))
	}
	return &InputError{File: filename, Problem: b.String(), Hint: lockFileHint}
}

// safeDetail reports whether the detail of a diagnostic with this summary is
// free of values from the file: the structural diagnostics of HCL's schema
// decoding and lockstep's own.
func safeDetail(summary string) bool {
	switch summary {
	case "Unsupported argument", "Unsupported block type", "Missing required argument", "Attribute redefined",
		"Variables not allowed", "Function calls not allowed",
		"Empty provider address", "Duplicate provider lock", "Empty provider version",
		"Invalid provider version", "Invalid provider constraints", "Invalid provider hashes":
		return true
	}
	return strings.HasPrefix(summary, "Extraneous label for ") ||
		(strings.HasPrefix(summary, "Missing ") && strings.Contains(summary, " for "))
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
