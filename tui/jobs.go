package tui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/tui/keys"
)

type jobKind int

const (
	jobImport jobKind = iota
	jobRefresh
)

// jobDialog runs an import or a refresh inside the TUI: a path box for
// imports, then a progress view; esc cancels the job's context.
type jobDialog struct {
	kind    jobKind
	id      int
	input   textinput.Model
	running bool
	done    int
	total   int
	msg     string
	err     error
	cancel  context.CancelFunc
}

type (
	jobProgressMsg struct {
		id          int
		done, total int
		text        string
		ch          <-chan tea.Msg
	}
	jobDoneMsg struct {
		id  int
		err error
	}
)

var jobSeq int

func (m *Model) openJob(kind jobKind) tea.Cmd {
	if m.job != nil {
		return nil
	}
	if kind == jobImport && m.opts.Import == nil {
		m.err = errors.New("import is not available here: run `connex import PATH` in a shell")
		return nil
	}
	if kind == jobRefresh && m.opts.Refresh == nil {
		m.err = errors.New("refresh is not available here: run `connex refresh` in a shell")
		return nil
	}
	jobSeq++
	j := &jobDialog{kind: kind, id: jobSeq}
	m.job = j
	if kind == jobImport {
		in := textinput.New()
		in.Prompt = "path: "
		in.Placeholder = "../shared/data/powerplatformconnectors.tar.gz or a clone of PowerPlatformConnectors"
		in.Cursor.SetMode(cursor.CursorStatic)
		in.Width = max(20, m.width-16)
		j.input = in
		return j.input.Focus()
	}
	// A refresh reaches the network: it starts on enter, not on the key.
	return nil
}

func (j *jobDialog) start(m *Model) tea.Cmd {
	ctx, cancel := context.WithCancel(m.ctx)
	j.cancel = cancel
	j.running = true
	j.err = nil
	j.msg = "starting…"
	ch := make(chan tea.Msg, 16)
	id := j.id
	progressFn := func(done, total int, text string) {
		select {
		case ch <- jobProgressMsg{id: id, done: done, total: total, text: text, ch: ch}:
		default: // the screen is behind: drop this update, a later one follows
		}
	}
	importFn, refreshFn, path := m.opts.Import, m.opts.Refresh, strings.TrimSpace(j.input.Value())
	kind := j.kind
	go func() {
		var err error
		if kind == jobImport {
			err = importFn(ctx, path, progressFn)
		} else {
			err = refreshFn(ctx, progressFn)
		}
		ch <- jobDoneMsg{id: id, err: err}
	}()
	return tea.Batch(waitJob(ch), m.startSpin())
}

// waitJob delivers the job's next message; each progress message brings
// the channel back so the next wait can be scheduled.
func waitJob(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg := <-ch
		if p, ok := msg.(jobProgressMsg); ok {
			p.ch = ch
			return p
		}
		return msg
	}
}

func (j *jobDialog) keys(k keys.KeyMap) []key.Binding {
	if j.running {
		return []key.Binding{k.Cancel}
	}
	if j.kind == jobImport {
		return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "import")), k.Cancel}
	}
	return []key.Binding{key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "start")), k.Cancel}
}

func (j *jobDialog) update(m *Model, msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case jobProgressMsg:
		if msg.id != j.id {
			return nil
		}
		j.done, j.total, j.msg = msg.done, msg.total, msg.text
		return waitJob(msg.ch)
	case jobDoneMsg:
		if msg.id != j.id {
			return nil
		}
		j.running = false
		if msg.err != nil {
			if errors.Is(msg.err, context.Canceled) {
				m.job = nil
				m.info = "cancelled: the catalogue is unchanged"
				return nil
			}
			j.err = msg.err
			return nil
		}
		what := "import"
		if j.kind == jobRefresh {
			what = "refresh"
		}
		m.job = nil
		m.info = what + " finished: loading the new catalogue"
		if m.opts.LoadCatalog == nil {
			return nil
		}
		m.loading = true
		return tea.Batch(m.loadCmd(), m.startSpin())
	case tea.KeyMsg:
		if msg.Type == tea.KeyEsc {
			if j.running {
				j.cancel()
				j.msg = "cancelling…"
				return nil
			}
			m.job = nil
			return nil
		}
		if j.running {
			return nil
		}
		if msg.Type == tea.KeyEnter {
			if j.kind == jobImport && strings.TrimSpace(j.input.Value()) == "" {
				j.err = errors.New("type the path of a definitions folder or archive first")
				return nil
			}
			return j.start(m)
		}
		if j.kind == jobImport {
			var cmd tea.Cmd
			j.input, cmd = j.input.Update(msg)
			return cmd
		}
	}
	return nil
}

func (j *jobDialog) view(m *Model, w, h int) string {
	s := m.styles
	bw := min(w-4, 90)
	var b strings.Builder
	if j.kind == jobImport {
		b.WriteString(s.Heading.Render("Import connector definitions") + "\n\n")
		b.WriteString(wrapJoin("Reads a clone of microsoft/PowerPlatformConnectors, or its archive, and replaces the sample catalogue. Same as `connex import PATH`.", bw-4) + "\n\n")
		j.input.Width = bw - 12
		b.WriteString(j.input.View() + "\n")
	} else {
		b.WriteString(s.Heading.Render("Refresh from the connector reference site") + "\n\n")
		b.WriteString(wrapJoin("Reads the public connector reference pages (politely, with a cache). Same as `connex refresh`.", bw-4) + "\n")
	}
	if j.running {
		b.WriteString("\n" + m.spin.View() + " " + truncate(safeterm.Line(j.msg), bw-8) + "\n")
		if j.total > 0 {
			b.WriteString(s.Cursor.Render(progressBar(j.done, j.total, bw-20)) + fmt.Sprintf("  %d/%d", j.done, j.total) + "\n")
		}
		b.WriteString("\n" + s.Muted.Render("esc cancels; the current catalogue stays until the new one is complete."))
	} else if j.kind == jobRefresh {
		b.WriteString("\n" + s.Muted.Render("enter starts · esc closes"))
	} else {
		b.WriteString("\n" + s.Muted.Render("enter imports · esc closes"))
	}
	if j.err != nil {
		b.WriteString("\n\n" + s.StatusErr.Render("Failed: ") + s.Error.Render(wrapJoin(safeterm.Text(j.err.Error()), bw-12)))
	}
	box := s.HelpBox.Width(bw).Render(b.String())
	return lipgloss.Place(w, h, lipgloss.Center, lipgloss.Center, box)
}

func wrapJoin(s string, w int) string { return strings.Join(wrapText(s, w), "\n") }

// progressBar draws done/total as a bar of w cells.
func progressBar(done, total, w int) string {
	if w < 4 || total <= 0 {
		return ""
	}
	n := min(w, max(0, done*w/total))
	return strings.Repeat("█", n) + strings.Repeat("░", w-n)
}
