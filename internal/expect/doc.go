// Package expect is the machinery the process-creation areas (tests/fork,
// tests/vfork, tests/clone) share: how one kernel reports one way of
// creating a process to a tracer, written as data (Reporting); the event
// logs a creation must produce (Reporting.Want); one traced run of a
// creation scenario (Creation.Run); the detach/kill-one-side cases
// (Survivor); and the tracee side that every such scenario runs
// (RegisterCreation).
//
// The kernel rules themselves stay in the test areas, as maps keyed by
// runtime.GOOS next to the cases that pin them down.
package expect
