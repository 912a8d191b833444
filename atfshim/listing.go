package atfshim

import (
	"bytes"
	"fmt"
)

// listingHeader is the exact first line kyua requires (§2).
const listingHeader = `Content-Type: application/X-atf-tp; version="1"`

// listing renders the `-l` output of §2: the header, one blank line, then
// one block per case separated by exactly one blank line, no trailing blank
// line, every line (the last included) ending in "\n". Properties are
// limited to names kyua 0.14 accepts, each at most once per block; the
// custom X-racy is stored by kyua as custom.racy.
func listing(cases []*tcase) []byte {
	var b bytes.Buffer
	b.WriteString(listingHeader + "\n")
	for _, c := range cases {
		b.WriteString("\n")
		prop := func(name, value string) { fmt.Fprintf(&b, "%s: %s\n", name, value) }
		prop("ident", c.ident)
		if c.meta.Descr != "" {
			prop("descr", c.meta.Descr)
		}
		prop("has.cleanup", fmt.Sprint(c.meta.HasCleanup))
		if c.meta.RequireUser != "" {
			prop("require.user", c.meta.RequireUser)
		}
		prop("timeout", fmt.Sprint(c.listedTimeout()))
		if c.meta.Racy != "" {
			prop("X-racy", c.meta.Racy)
		}
	}
	return b.Bytes()
}
