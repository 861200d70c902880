package clipboard

import (
	"context"
	"os"
	"os/exec"
	"time"

	"github.com/atotto/clipboard"
)

// Default copies through the system clipboard, else OSC 52 on stdout,
// asking tmux (when inside it) whether it forwards the sequence.
func Default() Copier {
	return Copier{
		System:        clipboard.WriteAll,
		Terminal:      os.Stdout,
		Getenv:        os.Getenv,
		TmuxClipboard: tmuxClipboard,
	}
}

// tmuxClipboard reads tmux's global set-clipboard option; bounded in time
// so a wedged server never blocks the copy.
func tmuxClipboard() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	out, err := exec.CommandContext(ctx, "tmux", "show-options", "-gv", "set-clipboard").Output()
	return string(out), err
}
