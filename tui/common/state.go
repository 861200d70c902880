package common

import (
	"context"

	"github.com/connex-dev/connex/tui/keys"
	"github.com/connex-dev/connex/tui/styles"
)

// Common is the state every page shares, after soft-serve's
// pkg/ui/common.Common: the context that cancels its commands, its size,
// and the explorer's one set of styles and one key map. A page embeds it
// by value; the styles and keys are shared through pointers, so a page
// never copies colours or bindings and never reaches into its host.
type Common struct {
	Ctx           context.Context
	Width, Height int
	Styles        *styles.Styles
	KeyMap        *keys.KeyMap
}

// NewCommon is the common state with the default styles and key map.
func NewCommon(ctx context.Context) Common {
	st, km := styles.DefaultStyles(), keys.DefaultKeyMap()
	if ctx == nil {
		ctx = context.Background()
	}
	return Common{Ctx: ctx, Styles: &st, KeyMap: &km}
}

// SetSize records the space the host gives the page.
func (c *Common) SetSize(w, h int) { c.Width, c.Height = w, h }
