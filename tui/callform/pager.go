package callform

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/connex-dev/connex/tui/common"
	"github.com/connex-dev/connex/tui/keys"
	"github.com/connex-dev/connex/tui/styles"
)

// section is a collapsible block above the body (headers, the stored
// request). Its text is already safe for the terminal.
type section struct {
	title string
	lines []string
	open  bool
}

type pagerMode int

const (
	pagerBrowse pagerMode = iota
	pagerFind
	pagerSave
)

type match struct{ line, col, n int }

// pager shows a response (or a stored call): a fixed summary, collapsible
// sections and the body in a viewport, searchable and savable. Every text
// it holds went through safeterm before it got here.
type pager struct {
	id   int64
	keys keys.KeyMap
	st   styles.Styles

	summary  []string // styled, safe
	sections []*section
	bodyHead string
	plain    []string // body lines, safe, no colour
	styled   []string // body lines with syntax colours; nil: none
	raw      []byte   // body to save (secrets scrubbed)
	saveName string
	canCopy  bool // "copy as curl" is offered

	vp            viewport.Model
	width, height int
	cPlain        []string // content lines (sections + body), plain
	cStyled       []string
	bodyStart     int

	mode    pagerMode
	input   textinput.Model
	query   string
	matches []match
	cur     int
}

// setBody lays out a body; the returned command colours it (nil when
// colour is off).
func (p *pager) setBody(body []byte, contentType string, color bool) tea.Cmd {
	return p.setPrepared(prepareBody(body, contentType), color)
}

// preparedBody is a body laid out for display, done off the Update loop
// for large responses.
type preparedBody struct {
	safe, contentType string
	plain             []string
}

func prepareBody(body []byte, contentType string) preparedBody {
	safe, plain := bodyLines(body, contentType)
	return preparedBody{safe: safe, contentType: contentType, plain: plain}
}

func (p *pager) setPrepared(b preparedBody, color bool) tea.Cmd {
	p.plain, p.styled = b.plain, nil
	if !color {
		return nil
	}
	return highlightCmd(p.id, b.safe, b.contentType, len(b.plain), newPalette(p.st))
}

// setStyled swaps in the coloured lines when they are for this body.
func (p *pager) setStyled(msg highlightMsg) bool {
	if msg.pager != p.id || len(msg.styled) != len(p.plain) {
		return false
	}
	p.styled = msg.styled
	p.rebuild()
	return true
}

func newPager(km keys.KeyMap, st styles.Styles) *pager {
	vp := viewport.New(0, 0)
	vp.KeyMap.Left = key.NewBinding(key.WithKeys("left"))
	vp.KeyMap.Right = key.NewBinding(key.WithKeys("right"))
	vp.KeyMap.HalfPageUp = key.NewBinding(key.WithKeys("ctrl+u"))
	vp.KeyMap.HalfPageDown = key.NewBinding(key.WithKeys("ctrl+d"))
	vp.SetHorizontalStep(8)
	// prompt sets the input's prompt when a mode opens it.
	return &pager{id: common.NewID(), keys: km, st: st, vp: vp, input: common.NewInput("", 0)}
}

func (p *pager) setSize(w, h int) {
	p.width, p.height = w, h
	p.layout()
}

func (p *pager) layout() {
	vh := p.height - len(p.summary) - 1
	if p.mode != pagerBrowse {
		vh--
	}
	p.vp.Width, p.vp.Height = max(1, p.width), max(1, vh)
	p.input.Width = max(1, p.width-12)
	p.rebuild()
}

// rebuild lays out the sections and the body as viewport content.
func (p *pager) rebuild() {
	p.cPlain, p.cStyled = p.cPlain[:0], p.cStyled[:0]
	add := func(plain, styled string) {
		p.cPlain = append(p.cPlain, plain)
		p.cStyled = append(p.cStyled, styled)
	}
	for _, s := range p.sections {
		mark, hint := "▸", "  (h to show)"
		if s.open {
			mark, hint = "▾", "  (h to hide)"
		}
		t := mark + " " + s.title
		add(t+hint, p.st.Heading.Render(t)+p.st.Muted.Render(hint))
		if s.open {
			for _, l := range s.lines {
				add("  "+l, "  "+l)
			}
		}
	}
	if p.bodyHead != "" {
		add(p.bodyHead, p.st.Heading.Render(p.bodyHead))
	}
	p.bodyStart = len(p.cPlain)
	for i, l := range p.plain {
		s := l
		if p.styled != nil {
			s = p.styled[i]
		}
		add(l, s)
	}
	p.findMatches()
	p.render()
}

func (p *pager) render() {
	lines := make([]string, len(p.cPlain))
	for i := range p.cPlain {
		lines[i] = p.cStyled[i]
	}
	if p.query != "" {
		byLine := map[int][]int{}
		for i, m := range p.matches {
			byLine[m.line] = append(byLine[m.line], i)
		}
		for ln, idx := range byLine {
			lines[ln] = p.markLine(ln, idx)
		}
	}
	y := p.vp.YOffset
	p.vp.SetContent(strings.Join(lines, "\n"))
	p.vp.SetYOffset(y)
}

// markLine renders one line plain with its matches marked.
func (p *pager) markLine(ln int, idx []int) string {
	s := p.cPlain[ln]
	var b strings.Builder
	at := 0
	for _, i := range idx {
		m := p.matches[i]
		b.WriteString(s[at:m.col])
		st := p.st.Match
		if i == p.cur {
			st = p.st.MatchCur
		}
		b.WriteString(st.Render(s[m.col : m.col+m.n]))
		at = m.col + m.n
	}
	b.WriteString(s[at:])
	return b.String()
}

func (p *pager) findMatches() {
	p.matches = p.matches[:0]
	if p.query == "" {
		return
	}
	q := strings.ToLower(p.query)
	for ln, l := range p.cPlain {
		low := strings.ToLower(l)
		if len(low) != len(l) {
			// Case folding changed byte lengths: fall back to exact.
			low, q = l, p.query
		}
		for at := 0; ; {
			i := strings.Index(low[at:], q)
			if i < 0 {
				break
			}
			p.matches = append(p.matches, match{line: ln, col: at + i, n: len(q)})
			at += i + len(q)
		}
		q = strings.ToLower(p.query)
	}
	if p.cur >= len(p.matches) {
		p.cur = 0
	}
}

// jump scrolls so the current match is in view.
func (p *pager) jump() {
	if len(p.matches) == 0 {
		return
	}
	m := p.matches[p.cur]
	if m.line < p.vp.YOffset || m.line >= p.vp.YOffset+p.vp.Height {
		p.vp.SetYOffset(max(0, m.line-p.vp.Height/3))
	}
	col := ansi.StringWidth(p.cPlain[m.line][:m.col])
	if col >= p.vp.Width {
		p.vp.SetXOffset(col - p.vp.Width/2)
	} else {
		p.vp.SetXOffset(0)
	}
}

// capturing reports whether keys go to the prompt (so Esc closes it, not
// the screen).
func (p *pager) capturing() bool { return p.mode != pagerBrowse }

// update handles a key; the returned action asks the owner to save or
// copy (I/O happens in the owner's commands).
type pagerAction struct {
	save string // path
	copy bool
}

func (p *pager) update(msg tea.Msg) (tea.Cmd, pagerAction) {
	km, isKey := msg.(tea.KeyMsg)
	if p.mode != pagerBrowse {
		if !isKey {
			return nil, pagerAction{}
		}
		switch km.Type {
		case tea.KeyEsc:
			p.mode = pagerBrowse
			p.input.Blur()
			p.layout()
			return nil, pagerAction{}
		case tea.KeyEnter:
			mode, val := p.mode, p.input.Value()
			p.mode = pagerBrowse
			p.input.Blur()
			if mode == pagerFind {
				p.query = val
				p.cur = 0
				p.layout()
				p.jump()
				p.render()
				return nil, pagerAction{}
			}
			p.layout()
			if strings.TrimSpace(val) == "" {
				return nil, pagerAction{}
			}
			return nil, pagerAction{save: strings.TrimSpace(val)}
		}
		var cmd tea.Cmd
		p.input, cmd = p.input.Update(msg)
		return cmd, pagerAction{}
	}
	if !isKey {
		var cmd tea.Cmd
		p.vp, cmd = p.vp.Update(msg)
		return cmd, pagerAction{}
	}
	k := p.keys
	switch {
	case key.Matches(km, k.Headers):
		for _, s := range p.sections {
			s.open = !s.open
		}
		p.rebuild()
	case key.Matches(km, k.Find):
		return p.prompt(pagerFind, "find: ", p.query), pagerAction{}
	case key.Matches(km, k.FindNext):
		p.step(1)
	case key.Matches(km, k.FindPrev):
		p.step(-1)
	case key.Matches(km, k.Save):
		return p.prompt(pagerSave, "save body to: ", p.saveName), pagerAction{}
	case key.Matches(km, k.CopyAsCurl) && p.canCopy:
		return nil, pagerAction{copy: true}
	case key.Matches(km, k.Top):
		p.vp.GotoTop()
	case key.Matches(km, k.Bottom):
		p.vp.GotoBottom()
	default:
		var cmd tea.Cmd
		p.vp, cmd = p.vp.Update(msg)
		return cmd, pagerAction{}
	}
	return nil, pagerAction{}
}

// prompt opens the one-line prompt of a mode (find, save as) on value.
func (p *pager) prompt(mode pagerMode, prompt, value string) tea.Cmd {
	p.mode = mode
	p.input.Prompt = prompt
	p.input.SetValue(value)
	p.input.CursorEnd()
	p.layout()
	return p.input.Focus()
}

// step goes to the next (1) or previous (-1) match, wrapping around.
func (p *pager) step(dir int) {
	if len(p.matches) == 0 {
		return
	}
	p.cur = (p.cur + dir + len(p.matches)) % len(p.matches)
	p.jump()
	p.render()
}

// searchStatus describes the search for the status line.
func (p *pager) searchStatus() string {
	if p.query == "" {
		return ""
	}
	if len(p.matches) == 0 {
		return fmt.Sprintf("no match for %q", p.query)
	}
	return fmt.Sprintf("match %d/%d for %q", p.cur+1, len(p.matches), p.query)
}

func (p *pager) view() string {
	var b strings.Builder
	for _, s := range p.summary {
		b.WriteString(ansi.Truncate(s, p.width, "…") + "\n")
	}
	b.WriteString(p.st.Rule.Render(strings.Repeat("─", max(0, p.width))) + "\n")
	b.WriteString(p.vp.View())
	if p.mode != pagerBrowse {
		b.WriteString("\n" + ansi.Truncate(p.input.View(), p.width, "…"))
	}
	return b.String()
}
