package tui

import "github.com/charmbracelet/lipgloss"

// Theme holds the colours; Styles are built from it so a light or dark
// terminal, or NO_COLOR, only changes this one place.
type Theme struct {
	Accent, Muted, Subtle, Text, Error, Warn, OK, Premium, Preview, Deprecated, Match, SelectBG lipgloss.TerminalColor
}

// DefaultTheme adapts to light and dark backgrounds.
func DefaultTheme() Theme {
	return Theme{
		Accent:     lipgloss.AdaptiveColor{Light: "#5a32c8", Dark: "#b4a0ff"},
		Muted:      lipgloss.AdaptiveColor{Light: "#6b6b6b", Dark: "#9a9a9a"},
		Subtle:     lipgloss.AdaptiveColor{Light: "#d0d0d0", Dark: "#3c3c3c"},
		Text:       lipgloss.AdaptiveColor{Light: "#1a1a1a", Dark: "#e6e6e6"},
		Error:      lipgloss.AdaptiveColor{Light: "#c41a1a", Dark: "#ff6b6b"},
		Warn:       lipgloss.AdaptiveColor{Light: "#8a5a00", Dark: "#f0c050"},
		OK:         lipgloss.AdaptiveColor{Light: "#1a7f37", Dark: "#56d364"},
		Premium:    lipgloss.AdaptiveColor{Light: "#9a6700", Dark: "#e3b341"},
		Preview:    lipgloss.AdaptiveColor{Light: "#0969da", Dark: "#58a6ff"},
		Deprecated: lipgloss.AdaptiveColor{Light: "#a40e26", Dark: "#ff7b72"},
		Match:      lipgloss.AdaptiveColor{Light: "#b35900", Dark: "#ffa657"},
		SelectBG:   lipgloss.AdaptiveColor{Light: "#ddd4ff", Dark: "#3d3470"},
	}
}

// Styles are every style the TUI uses; views never build their own.
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
	Method     lipgloss.Style
	TabOn      lipgloss.Style
	TabOff     lipgloss.Style
}

// DefaultStyles builds the styles from DefaultTheme.
func DefaultStyles() Styles { return NewStyles(DefaultTheme()) }

// NewStyles builds the styles from a theme.
func NewStyles(t Theme) Styles {
	s := lipgloss.NewStyle
	return Styles{
		App:        s(),
		Title:      s().Bold(true).Foreground(t.Accent),
		Crumb:      s().Foreground(t.Muted),
		Banner:     s().Foreground(t.Warn).Bold(true),
		Status:     s().Foreground(t.Muted),
		StatusErr:  s().Foreground(t.Error).Bold(true),
		Muted:      s().Foreground(t.Muted),
		Heading:    s().Bold(true).Foreground(t.Accent),
		Label:      s().Foreground(t.Muted),
		Prompt:     s().Foreground(t.Accent).Bold(true),
		Selected:   s().Background(t.SelectBG).Bold(true),
		Cursor:     s().Foreground(t.Accent).Bold(true),
		Match:      s().Foreground(t.Match).Bold(true).Underline(true),
		Premium:    s().Foreground(t.Premium).Bold(true),
		Preview:    s().Foreground(t.Preview),
		Deprecated: s().Foreground(t.Deprecated),
		KindAction: s().Foreground(t.OK),
		KindTrig:   s().Foreground(t.Preview),
		KindConn:   s().Foreground(t.Accent).Bold(true),
		FilterOn:   s().Foreground(t.Accent).Bold(true),
		FilterOff:  s().Foreground(t.Muted),
		Pane:       s().Border(lipgloss.NormalBorder(), false, false, false, true).BorderForeground(t.Subtle).PaddingLeft(1),
		PaneFocus:  s().Border(lipgloss.NormalBorder(), false, false, false, true).BorderForeground(t.Accent).PaddingLeft(1),
		HelpBox:    s().Border(lipgloss.RoundedBorder()).BorderForeground(t.Accent).Padding(0, 1),
		Error:      s().Foreground(t.Error),
		Method:     s().Bold(true).Foreground(t.OK),
		TabOn:      s().Bold(true).Foreground(t.Accent).Underline(true),
		TabOff:     s().Foreground(t.Muted),
	}
}
