package atfshim

import (
	"fmt"
	"testing"
)

func TestEnvName(t *testing.T) {
	for name, want := range map[string]string{
		"racy":              "PTRACE_RACY",
		"unprivileged-user": "PTRACE_UNPRIVILEGED_USER",
		"a.b9":              "PTRACE_A_B9",
	} {
		if got := envName(name); got != want {
			t.Errorf("envName(%q) = %q, want %q", name, got, want)
		}
	}
}

// withATFVars switches the package to ATF mode with vars for one test.
func withATFVars(t *testing.T, vars map[string]string) {
	mode.mu.Lock()
	savedATF, savedVars := mode.atf, mode.vars
	mode.atf, mode.vars = true, vars
	mode.mu.Unlock()
	t.Cleanup(func() {
		mode.mu.Lock()
		defer mode.mu.Unlock()
		mode.atf, mode.vars = savedATF, savedVars
	})
}

func TestConfigSources(t *testing.T) {
	t.Setenv("PTRACE_RACY", "YES")
	t.Setenv("PTRACE_N", "12")
	if !Racy() {
		t.Error("go test mode: PTRACE_RACY=YES is not racy")
	}
	if n, err := configInt("n", 0); n != 12 || err != nil {
		t.Errorf("configInt(n) = %d, %v", n, err)
	}

	// In ATF mode only -v counts: kyua exports no config to the environment.
	withATFVars(t, map[string]string{"racy": "maybe", "n": "x", "b": "0"})
	if Racy() {
		t.Error("racy=maybe counts as true")
	}
	if _, err := configBool("racy", false); err == nil || err.Error() != `config variable racy="maybe": not a boolean: want true/false, yes/no or 1/0` {
		t.Errorf("configBool(racy) error = %v", err)
	}
	if _, err := configInt("n", 0); err == nil || err.Error() != `config variable n="x": not an integer` {
		t.Errorf("configInt(n) error = %v", err)
	}
	if b, err := configBool("b", true); b || err != nil {
		t.Errorf("configBool(b) = %v, %v", b, err)
	}
	if b, err := configBool("unset", true); !b || err != nil {
		t.Errorf("configBool(unset) = %v, %v; want the default", b, err)
	}
}

func TestConfigBoolSpellings(t *testing.T) {
	vars := map[string]string{}
	withATFVars(t, vars)
	for v, want := range map[string]bool{
		"true": true, "TRUE": true, "yes": true, "Yes": true, "1": true,
		"false": false, "False": false, "no": false, "NO": false, "0": false,
	} {
		vars["v"] = v
		if got, err := configBool("v", !want); got != want || err != nil {
			t.Errorf("configBool(%q) = %v, %v", v, got, err)
		}
	}
	for _, v := range []string{"", "on", "2", " true"} {
		vars["v"] = v
		if _, err := configBool("v", false); err == nil {
			t.Errorf("configBool(%q) accepted", v)
		}
	}
}

var _ = DeclareVar("atfshim_test_n", IntRange(1, 3))

// A declared variable set to a bad value is one line naming it and what it
// must be; a good value or an unset one passes.
func TestDeclaredVarChecked(t *testing.T) {
	for v, want := range map[string]string{
		"9":  `config variable atfshim_test_n="9": out of range: want 1..3`,
		"x":  `config variable atfshim_test_n="x": not an integer: want 1..3`,
		"":   `config variable atfshim_test_n="": not an integer: want 1..3`,
		"0":  `config variable atfshim_test_n="0": out of range: want 1..3`,
		"4":  `config variable atfshim_test_n="4": out of range: want 1..3`,
		"1":  "",
		"3":  "",
		"-1": `config variable atfshim_test_n="-1": out of range: want 1..3`,
		"2":  "",
	} {
		t.Setenv("PTRACE_ATFSHIM_TEST_N", v)
		err := checkDeclaredVars()
		if got := fmt.Sprint(err); (err == nil) != (want == "") || (err != nil && got != want) {
			t.Errorf("atfshim_test_n=%q: %v, want %q", v, err, want)
		}
	}
	for _, tt := range []struct {
		check func(string) error
		v     string
		want  string // "" = accepted
	}{
		{Bool, "maybe", "not a boolean: want true/false, yes/no or 1/0"},
		{Bool, "", "not a boolean: want true/false, yes/no or 1/0"},
		{Bool, "No", ""},
		{Uint, "-1", "not a decimal unsigned integer: want 0..18446744073709551615"},
		{Uint, "18446744073709551616", "not a decimal unsigned integer: want 0..18446744073709551615"},
		{Uint, "18446744073709551615", ""},
		{IntRange(-2, 2), "-3", "out of range: want -2..2"},
		{IntRange(-2, 2), "-2", ""},
		{IntRange(-2, 2), "1.5", "not an integer: want -2..2"},
	} {
		if err := tt.check(tt.v); fmt.Sprint(err) != tt.want && (err != nil || tt.want != "") {
			t.Errorf("check(%q) = %v, want %q", tt.v, err, tt.want)
		}
	}
}

// Under go test the environment carries the variables (envName); in ATF
// mode only -v does, and a bad racy fails like a declared variable.
func TestDeclaredVarSources(t *testing.T) {
	t.Setenv("PTRACE_ATFSHIM_TEST_N", "0")
	if err := checkDeclaredVars(); fmt.Sprint(err) != `config variable atfshim_test_n="0": out of range: want 1..3` {
		t.Errorf("go test mode, PTRACE_ATFSHIM_TEST_N=0: %v", err)
	}
	withATFVars(t, map[string]string{"atfshim_test_n": "-5"})
	if err := checkDeclaredVars(); fmt.Sprint(err) != `config variable atfshim_test_n="-5": out of range: want 1..3` {
		t.Errorf("ATF mode, -v atfshim_test_n=-5: %v", err)
	}
	withATFVars(t, map[string]string{})
	if err := checkDeclaredVars(); err != nil {
		t.Errorf("ATF mode ignores the environment: %v", err)
	}
}
