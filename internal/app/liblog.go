package app

import (
	"log"
	"strings"
	"sync"

	"github.com/connex-dev/connex/internal/safeterm"
)

var libLogMu sync.Mutex

// RouteLibraryLog sends what libraries write through the standard log
// package to warn, one line at a time, made safe for a terminal and
// prefixed "search index: ": bleve's scorch engine logs there (a corrupt
// segment, a file it could not remove) and would otherwise write raw on
// stderr, or over the explorer's screen. warn nil drops the lines. The
// returned function puts the previous log settings back.
func RouteLibraryLog(warn func(msg string)) (restore func()) {
	libLogMu.Lock()
	defer libLogMu.Unlock()
	out, flags, prefix := log.Writer(), log.Flags(), log.Prefix()
	log.SetFlags(0)
	log.SetPrefix("")
	log.SetOutput(libLogWriter{warn})
	return func() {
		libLogMu.Lock()
		defer libLogMu.Unlock()
		log.SetOutput(out)
		log.SetFlags(flags)
		log.SetPrefix(prefix)
	}
}

// libLogWriter receives one log entry per Write (the log package's
// contract).
type libLogWriter struct{ warn func(string) }

func (w libLogWriter) Write(p []byte) (int, error) {
	if w.warn == nil {
		return len(p), nil
	}
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		if line = strings.TrimSpace(safeterm.Line(line)); line != "" {
			w.warn("search index: " + line)
		}
	}
	return len(p), nil
}
