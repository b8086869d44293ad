// Package address reads and writes Terraform resource and module addresses
// (module.net["eu.west"].data.aws_vpc.main[0]) as steps, so that the config
// patterns, the source index and the parser all agree on where one step
// ends: a dot or bracket inside a quoted instance key is part of the key,
// never structure. Keys are read and written in the HCL quoting Terraform
// uses when it prints addresses, so an address copied from `terraform state
// list` reads back as the same steps, and malformed text is a *SyntaxError
// with its byte offset rather than a guess.
package address
