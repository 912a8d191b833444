package picotrace

import (
	"strconv"
	"testing"
)

// appendQuoted is strconv.AppendQuote, byte for byte, fast path or not.
func TestAppendQuotedIsStrconv(t *testing.T) {
	for _, s := range []string{"", "PATH=/usr/bin:/bin", `Q="x y"`, `back\slash`, "tab\there", "new\nline", "del\x7f", "ünï", "\xff\xfe", "~ !#$%&'()*+,-./09:;<=>?@AZ[]^_`az{|}"} {
		if got, want := string(appendQuoted([]byte("x "), s)), string(strconv.AppendQuote([]byte("x "), s)); got != want {
			t.Errorf("appendQuoted(%q) = %s, strconv.AppendQuote gives %s", s, got, want)
		}
	}
}
