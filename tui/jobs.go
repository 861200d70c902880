package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/connex-dev/connex/internal/safeterm"
	"github.com/connex-dev/connex/tui/common"
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
	id      int64
	input   textinput.Model
	running bool
	done    int
	total   int
	msg     string
	err     error
	cancel  context.CancelFunc
	hint    string // the last path completion's note
	plan    *RefreshPlan
}

type (
	jobProgressMsg struct {
		id          int64
		done, total int
		text        string
		ch          <-chan tea.Msg
	}
	jobDoneMsg struct {
		id     int64
		err    error
		report *ImportReport
	}
	// completeMsg is a Tab completion of the import path.
	completeMsg struct {
		id         int64
		from, to   string
		candidates int
	}
)

func (m *Model) openJob(kind jobKind) tea.Cmd {
	if m.job != nil {
		return nil
	}
	if kind == jobImport && m.opts.Import == nil && m.opts.ImportReport == nil {
		m.err = errors.New("import is not available here: run `connex import PATH` in a shell")
		return nil
	}
	if kind == jobRefresh && m.opts.Refresh == nil {
		m.err = errors.New("refresh is not available here: run `connex refresh` in a shell")
		return nil
	}
	j := &jobDialog{kind: kind, id: common.NewID()}
	m.job = j
	if kind == jobImport {
		in := common.NewInput("path: ", 0)
		in.Placeholder = "~/src/PowerPlatformConnectors (a clone)"
		in.Width = max(20, m.width-16)
		j.input = in
		return j.input.Focus()
	}
	if m.opts.RefreshPlan != nil {
		p := m.opts.RefreshPlan()
		if p.Pages == 0 && m.cat != nil && !m.cat.Sample {
			p.Pages = m.stats.Connectors + 1 // every page and the list
		}
		j.plan = &p
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
	importFn, reportFn, refreshFn := m.opts.Import, m.opts.ImportReport, m.opts.Refresh
	path, home := strings.TrimSpace(j.input.Value()), m.homeDir()
	kind := j.kind
	go func() {
		var err error
		var rep *ImportReport
		switch {
		case kind == jobRefresh:
			err = refreshFn(ctx, progressFn)
		case reportFn != nil:
			var r ImportReport
			r, err = reportFn(ctx, expandHome(path, home), progressFn)
			rep = &r
		default:
			err = importFn(ctx, expandHome(path, home), progressFn)
		}
		ch <- jobDoneMsg{id: id, err: err, report: rep}
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
	case completeMsg:
		if msg.id != j.id || j.input.Value() != msg.from {
			return nil // typed on since: stale
		}
		j.input.SetValue(msg.to)
		j.input.CursorEnd()
		j.hint = ""
		if msg.candidates > 1 {
			j.hint = fmt.Sprintf("%d matches: type more, then tab", msg.candidates)
		} else if msg.candidates == 0 {
			j.hint = "no such file or folder"
		}
		return nil
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
		// The spinner says the new catalogue is loading; the status
		// line keeps what the job did (it said "loading" long after).
		m.info = what + " finished"
		if r := msg.report; r != nil {
			m.info = fmt.Sprintf("imported %s from %s; %s failed (`connex import` lists them)",
				plural(r.Connectors, "connector"), plural(r.Files, "file"), plural(r.Failed, "file"))
		}
		if !m.canLoad() {
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
		if j.kind == jobImport && key.Matches(msg, m.keys.Complete) {
			return j.complete(m)
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
		b.WriteString(wrapJoin("Reads connector definitions (a clone of microsoft/PowerPlatformConnectors, or its archive), Power Platform API replies, or the reference site's connector list saved as JSON, and merges them into the catalogue (the sample goes). Same as `connex import PATH`.", bw-4) + "\n\n")
		j.input.Width = bw - 12
		b.WriteString(j.input.View() + "\n")
		if j.hint != "" {
			b.WriteString(s.Muted.Render(truncate(j.hint, bw-4)) + "\n")
		}
		b.WriteString(s.Muted.Render(wrapJoin("or the archive URL: "+archiveURL, bw-4)) + "\n")
		b.WriteString(s.Muted.Render("tab completes a path · ~ is your home folder") + "\n")
	} else {
		b.WriteString(s.Heading.Render("Refresh from the connector reference site") + "\n\n")
		b.WriteString(wrapJoin("Reads the public connector reference pages (politely, with a cache). Same as `connex refresh`.", bw-4) + "\n")
		for _, l := range m.refreshLines() {
			b.WriteString(wrapJoin(safeterm.Line(l), bw-4) + "\n")
		}
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

// archiveURL is the connectors repository's archive, which import reads.
const archiveURL = "https://github.com/microsoft/PowerPlatformConnectors/archive/refs/heads/dev.tar.gz"

// homeDir is the user's home folder, "" when unknown.
func (m *Model) homeDir() string {
	f := m.opts.HomeDir
	if f == nil {
		f = os.UserHomeDir
	}
	h, err := f()
	if err != nil {
		return ""
	}
	return h
}

// expandHome turns a leading ~ into the home folder, as a shell would.
func expandHome(path, home string) string {
	if home == "" || (path != "~" && !strings.HasPrefix(path, "~/") && !strings.HasPrefix(path, "~"+string(filepath.Separator))) {
		return path
	}
	return filepath.Join(home, path[1:])
}

// complete completes the import path in a command (it reads a folder):
// one candidate is taken whole (a folder gains its separator), several
// are taken up to their common prefix.
func (j *jobDialog) complete(m *Model) tea.Cmd {
	from, id, home := j.input.Value(), j.id, m.homeDir()
	return func() tea.Msg {
		to, n := completePath(from, home)
		return completeMsg{id: id, from: from, to: to, candidates: n}
	}
}

func completePath(typed, home string) (string, int) {
	if strings.Contains(typed, "://") {
		return typed, 1 // a URL: nothing to complete
	}
	dirPart, base := filepath.Split(typed)
	dir := expandHome(dirPart, home)
	if dirPart == "" {
		dir = "."
	} else if typed == "~" {
		return typed + string(filepath.Separator), 1
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return typed, 0
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), base) && (strings.HasPrefix(base, ".") || !strings.HasPrefix(e.Name(), ".")) {
			n := e.Name()
			if e.IsDir() {
				n += string(filepath.Separator)
			}
			names = append(names, n)
		}
	}
	switch len(names) {
	case 0:
		return typed, 0
	case 1:
		return dirPart + names[0], 1
	}
	prefix := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, prefix) {
			prefix = prefix[:len(prefix)-1]
		}
	}
	return dirPart + prefix, len(names)
}

// refreshLines say which site a refresh crawls, how long it takes at the
// current politeness, and where the catalogue came from.
func (m *Model) refreshLines() []string {
	var out []string
	if p := m.job.plan; p != nil {
		out = append(out, "", "Site: "+p.Site)
		if p.Pages > 0 {
			out = append(out, fmt.Sprintf("About %s at one request per %s, %d at a time: about %s.",
				plural(p.Pages, "page"), p.Delay, max(1, p.Concurrency), roughDuration(p.Duration())))
		}
	}
	if m.cat != nil {
		from := "the catalogue came from imported definitions (never crawled)"
		if m.cat.Sample {
			from = "the catalogue is the built-in sample"
		} else if site := catalogueSite(m.cat); site != "" {
			from = "the catalogue came from " + site
		}
		out = append(out, strings.ToUpper(from[:1])+from[1:]+".")
	}
	return out
}

// roughDuration rounds an estimate to what a person reads: seconds under
// two minutes, then minutes.
func roughDuration(d time.Duration) string {
	if d < 2*time.Minute {
		return fmt.Sprintf("%d seconds", int(d.Round(time.Second)/time.Second))
	}
	return fmt.Sprintf("%d minutes", int(d.Round(time.Minute)/time.Minute))
}
