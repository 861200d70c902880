package callform

import "github.com/charmbracelet/lipgloss"

// Styles are every style the test-call screens use. The colours follow
// the main TUI's theme (tui/styles.go) so the screens look like one app.
type Styles struct {
	Title, Crumb, Muted, Label, Required, Focus, Value, Choice, ChoiceOn lipgloss.Style
	Error, Warn, OK, Method, Heading, Status, StatusErr, Match, MatchCur lipgloss.Style
	Selected, Rule                                                       lipgloss.Style
}

// DefaultStyles adapts to light and dark backgrounds.
func DefaultStyles() Styles {
	accent := lipgloss.AdaptiveColor{Light: "#5a32c8", Dark: "#b4a0ff"}
	muted := lipgloss.AdaptiveColor{Light: "#6b6b6b", Dark: "#9a9a9a"}
	subtle := lipgloss.AdaptiveColor{Light: "#d0d0d0", Dark: "#3c3c3c"}
	errc := lipgloss.AdaptiveColor{Light: "#c41a1a", Dark: "#ff6b6b"}
	warn := lipgloss.AdaptiveColor{Light: "#8a5a00", Dark: "#f0c050"}
	ok := lipgloss.AdaptiveColor{Light: "#1a7f37", Dark: "#56d364"}
	match := lipgloss.AdaptiveColor{Light: "#b35900", Dark: "#ffa657"}
	selBG := lipgloss.AdaptiveColor{Light: "#ddd4ff", Dark: "#3d3470"}
	s := lipgloss.NewStyle
	return Styles{
		Title:     s().Bold(true).Foreground(accent),
		Crumb:     s().Foreground(muted),
		Muted:     s().Foreground(muted),
		Label:     s().Bold(true),
		Required:  s().Foreground(errc).Bold(true),
		Focus:     s().Foreground(accent).Bold(true),
		Value:     s(),
		Choice:    s().Foreground(muted),
		ChoiceOn:  s().Foreground(accent).Bold(true),
		Error:     s().Foreground(errc),
		Warn:      s().Foreground(warn).Bold(true),
		OK:        s().Foreground(ok).Bold(true),
		Method:    s().Foreground(ok).Bold(true),
		Heading:   s().Bold(true).Foreground(accent),
		Status:    s().Foreground(muted),
		StatusErr: s().Foreground(errc).Bold(true),
		Match:     s().Foreground(match).Bold(true).Underline(true),
		MatchCur:  s().Background(selBG).Foreground(match).Bold(true).Underline(true),
		Selected:  s().Background(selBG).Bold(true),
		Rule:      s().Foreground(subtle),
	}
}
