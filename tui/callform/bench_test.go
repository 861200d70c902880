package callform

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/connex-dev/connex/tui/styles"
)

func jsonBody(n int) []byte {
	var b strings.Builder
	b.WriteString("[")
	for i := 0; b.Len() < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":%d,"title":"Task number %d","done":false,"tags":["a","b"]}`, i, i)
	}
	b.WriteString("]")
	return []byte(b.String())
}

// BenchmarkBodyLines measures preparing a response body for display:
// indent, sanitise, highlight (up to maxHighlight) and split.
func BenchmarkBodyLines(b *testing.B) {
	for _, size := range []int{16 << 10, 200 << 10, 5 << 20} {
		body := jsonBody(size)
		pal := newPalette(styles.DefaultStyles())
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				safe, plain := bodyLines(body, "application/json")
				if len(plain) == 0 {
					b.Fatal("no lines")
				}
				if cmd := highlightCmd(1, safe, "application/json", len(plain), pal); cmd != nil {
					if _, ok := cmd().(highlightMsg); !ok {
						b.Fatal("not highlighted")
					}
				}
			}
		})
	}
}

// BenchmarkFormKeystroke measures one keystroke in a form: the input
// update, the request rebuild and the preview, then a full View.
func BenchmarkFormKeystroke(b *testing.B) {
	m := newTestForm(b, testOptions(b, "sampletasks", "CreateTaskV2", &fakeDo{}), 120, 40)
	press(m, "tab")
	start := time.Now()
	n := 0
	for b.Loop() {
		_, _ = m.Update(keyMsg("x"))
		_ = m.View()
		n++
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/float64(n), "µs/keystroke")
}
