package styles

import "github.com/charmbracelet/lipgloss"

// Styles are every style the explorer uses.
type Styles struct {
	App        lipgloss.Style
	Title      lipgloss.Style
	Crumb      lipgloss.Style
	Banner     lipgloss.Style
	Status     lipgloss.Style
	StatusErr  lipgloss.Style
	Muted      lipgloss.Style
	Heading    lipgloss.Style
	Label      lipgloss.Style
	Prompt     lipgloss.Style
	Selected   lipgloss.Style
	Cursor     lipgloss.Style
	Match      lipgloss.Style
	MatchCur   lipgloss.Style // the current match of a find
	Premium    lipgloss.Style
	Preview    lipgloss.Style
	Deprecated lipgloss.Style
	KindAction lipgloss.Style
	KindTrig   lipgloss.Style
	KindConn   lipgloss.Style
	FilterOn   lipgloss.Style
	FilterOff  lipgloss.Style
	Pane       lipgloss.Style
	PaneFocus  lipgloss.Style
	HelpBox    lipgloss.Style
	Error      lipgloss.Style
	Warn       lipgloss.Style
	OK         lipgloss.Style
	Method     lipgloss.Style
	TabOn      lipgloss.Style
	TabOff     lipgloss.Style
	Rule       lipgloss.Style

	// Response bodies (JSON and XML).
	CodeKey, CodeString, CodeNumber, CodeLiteral, CodeTag lipgloss.Style

	// The test-call form's fields.
	FieldLabel lipgloss.Style
	Required   lipgloss.Style
	Focus      lipgloss.Style
	Value      lipgloss.Style
	Choice     lipgloss.Style
	ChoiceOn   lipgloss.Style
}

// DefaultStyles builds the styles from DefaultTheme.
func DefaultStyles() Styles { return New(DefaultTheme()) }

// New builds the styles from a theme.
func New(t Theme) Styles {
	s := lipgloss.NewStyle
	return Styles{
		App:         s(),
		Title:       s().Bold(true).Foreground(t.Accent),
		Crumb:       s().Foreground(t.Muted),
		Banner:      s().Foreground(t.Warn).Bold(true),
		Status:      s().Foreground(t.Muted),
		StatusErr:   s().Foreground(t.Error).Bold(true),
		Muted:       s().Foreground(t.Muted),
		Heading:     s().Bold(true).Foreground(t.Accent),
		Label:       s().Foreground(t.Muted),
		Prompt:      s().Foreground(t.Accent).Bold(true),
		Selected:    s().Background(t.SelectBG).Bold(true),
		Cursor:      s().Foreground(t.Accent).Bold(true),
		Match:       s().Foreground(t.Match).Bold(true).Underline(true),
		MatchCur:    s().Background(t.SelectBG).Foreground(t.Match).Bold(true).Underline(true),
		Premium:     s().Foreground(t.Premium).Bold(true),
		Preview:     s().Foreground(t.Preview),
		Deprecated:  s().Foreground(t.Deprecated),
		KindAction:  s().Foreground(t.OK),
		KindTrig:    s().Foreground(t.Preview),
		KindConn:    s().Foreground(t.Accent).Bold(true),
		FilterOn:    s().Foreground(t.Accent).Bold(true),
		FilterOff:   s().Foreground(t.Muted),
		Pane:        s().Border(lipgloss.NormalBorder(), false, false, false, true).BorderForeground(t.Subtle).PaddingLeft(1),
		PaneFocus:   s().Border(lipgloss.NormalBorder(), false, false, false, true).BorderForeground(t.Accent).PaddingLeft(1),
		HelpBox:     s().Border(lipgloss.RoundedBorder()).BorderForeground(t.Accent).Padding(0, 1),
		Error:       s().Foreground(t.Error),
		Warn:        s().Foreground(t.Warn).Bold(true),
		OK:          s().Foreground(t.OK).Bold(true),
		Method:      s().Bold(true).Foreground(t.OK),
		TabOn:       s().Bold(true).Foreground(t.Accent).Underline(true),
		TabOff:      s().Foreground(t.Muted),
		Rule:        s().Foreground(t.Subtle),
		CodeKey:     s().Foreground(t.Accent),
		CodeString:  s().Foreground(t.OK),
		CodeNumber:  s().Foreground(t.Match),
		CodeLiteral: s().Foreground(t.Preview),
		CodeTag:     s().Foreground(t.Accent),
		FieldLabel:  s().Bold(true),
		Required:    s().Foreground(t.Error).Bold(true),
		Focus:       s().Foreground(t.Accent).Bold(true),
		Value:       s(),
		Choice:      s().Foreground(t.Muted),
		ChoiceOn:    s().Foreground(t.Accent).Bold(true),
	}
}
