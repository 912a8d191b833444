package atf

import "encoding/xml"

// JUnit XML as kyua report-junit writes it (drivers/report_junit.cpp of
// kyua 0.14): a broken case has <error message=REASON/>, a failed one
// <failure message=REASON/>, a skipped one <skipped/> with its reason under
// SkippedDetails in <system-err>, an expected failure no element and its
// reason under XFailDetails; <system-out> is the case's stdout. kyua
// writes one <testsuite> as the root; cmd/netbsd-qemu writes one per
// program under <testsuites>.
type JUnitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []JUnitSuite `xml:"testsuite"`
}

// JUnitSuite is one <testsuite>.
type JUnitSuite struct {
	Name     string      `xml:"name,attr,omitempty"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr,omitempty"`
	Cases    []JUnitCase `xml:"testcase"`
}

// JUnitCase is one <testcase>.
type JUnitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Error     *JUnitMessage `xml:"error,omitempty"`
	Failure   *JUnitMessage `xml:"failure,omitempty"`
	Skipped   *JUnitMessage `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
	SystemErr string        `xml:"system-err,omitempty"`
}

// JUnitMessage is an <error>, <failure> or <skipped> element.
type JUnitMessage struct {
	Message string `xml:"message,attr,omitempty"`
}

// The headings kyua puts in <system-err> above a skipped or expected
// failure's reason.
const (
	SkippedDetails = "Skipped result details"
	XFailDetails   = "Expected failure result details"
)
