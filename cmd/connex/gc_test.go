package main

import "testing"

func TestIsShort(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want bool
	}{
		{[]string{"search", "send email"}, true},
		{[]string{"--data-dir", "x", "search", "--json", "q"}, true},
		{[]string{"show", "office365/SendEmailV2", "--json"}, true},
		{[]string{"call", "a/b", "--dry-run"}, true},
		{[]string{"exit-codes"}, true},
		{[]string{"--version"}, true},
		{[]string{"-h"}, true},
		{nil, false},                         // the explorer
		{[]string{"--data-dir", "x"}, false}, // the explorer too
		{[]string{"import", "a.tar.gz"}, false},
		{[]string{"refresh"}, false},
		{[]string{"export", "--json"}, false},
		{[]string{"stats"}, false},
		{[]string{"audit", "flow.json"}, false},
		{[]string{"no-such-command"}, false},
	} {
		if got := isShort(newRootCmd(&app{}), tt.args); got != tt.want {
			t.Errorf("isShort(%q) = %v, want %v", tt.args, got, tt.want)
		}
	}
}

// Every short command exists: a renamed one would silently fall back to
// the default collector.
func TestShortCommandsExist(t *testing.T) {
	t.Parallel()
	root := newRootCmd(&app{})
	for _, name := range shortCommands {
		if c, _, err := root.Find([]string{name}); err != nil || c.Name() != name {
			t.Errorf("short command %q is not a command of connex", name)
		}
	}
}
