package defs

// Linking deprecated operations to the operations that replace them.

import (
	"strings"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/lazyre"
)

var (
	reUseInstead = lazyre.New(`(?i)\buse\s+(?:the\s+)?(?:(?:action|operation|trigger|endpoint)\s+)?["'\x{2018}\x{201C}]?([^"'\x{2019}\x{201D}.;,]+?)["'\x{2019}\x{201D}]?(?:\s+(?:action|operation|trigger|endpoint))?\s+instead`)
	reReplaced   = lazyre.New(`(?i)\b(?:replaced|superseded)\s+(?:by|with)\s+(?:the\s+)?(?:(?:action|operation|trigger)\s+)?["'\x{2018}\x{201C}]?([^"'\x{2019}\x{201D};,()]+?)["'\x{2019}\x{201D}]?(?:\s+(?:action|operation|trigger))?(?:[.;,)]?\s*$|[;,)]|\.\s)`)
)

// linkReplacements sets ReplacedBy where a deprecated operation's
// description names another operation of the connector to use instead ("use Send an
// email (V2) instead", "replaced by /v2/alerts"); names that match no
// operation are ignored rather than guessed.
func linkReplacements(ops []*catalog.Operation) {
	for _, op := range ops {
		if op.Description == "" {
			continue
		}
		l := strings.ToLower(op.Description)
		if !strings.Contains(l, "instead") && !strings.Contains(l, "replaced") && !strings.Contains(l, "superseded") {
			continue
		}
		// "Use X instead" also gives advice for other cases ("to send a
		// password, use X instead"); only a deprecated operation is replaced.
		if !op.Deprecated && !strings.Contains(l, "deprecat") && !strings.Contains(strings.ToLower(op.Name), "deprecat") {
			continue
		}
		for _, re := range []*lazyre.Regexp{reUseInstead, reReplaced} {
			m := re.FindStringSubmatch(op.Description)
			if m == nil {
				continue
			}
			if target := matchOp(ops, op, strings.TrimSpace(m[1])); target != nil {
				op.ReplacedBy = target.ID
				break
			}
		}
	}
}

func matchOp(ops []*catalog.Operation, self *catalog.Operation, name string) *catalog.Operation {
	if name == "" {
		return nil
	}
	match := func(f func(o *catalog.Operation) bool) *catalog.Operation {
		for _, o := range ops {
			if o != self && f(o) {
				return o
			}
		}
		return nil
	}
	if o := match(func(o *catalog.Operation) bool { return o.ID == name }); o != nil {
		return o
	}
	if o := match(func(o *catalog.Operation) bool { return strings.EqualFold(o.Name, name) }); o != nil {
		return o
	}
	if strings.HasPrefix(name, "/") {
		if o := match(func(o *catalog.Operation) bool { return o.Path == name && o.Method == self.Method }); o != nil {
			return o
		}
	}
	return nil
}
