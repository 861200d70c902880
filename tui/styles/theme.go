// Package styles is the explorer's one set of styles, for every page and
// the test-call screens alike (after soft-serve's pkg/ui/styles and
// gh-dash's theme): colours live in a Theme, styles are built from it, and
// views never build their own.
package styles

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
