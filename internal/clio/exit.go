package clio

import (
	"errors"
	"fmt"
)

// Exit codes of every connex command. They are distinct so a script can
// tell them apart; ExitCodes documents them.
const (
	ExitOK       = 0 // success (a search with no hits included)
	ExitError    = 1 // failed; nothing changed
	ExitPartial  = 2 // partial success: part of the work failed
	ExitNotFound = 3 // the connector or operation asked for does not exist
)

// ExitCodes is the exit-code table shown by `connex help exit-codes`.
const ExitCodes = `  0  ok         the command did what was asked (a search with no hits included)
  1  error      the command failed; nothing was changed
  2  partial    part of the work failed (some files did not import, some
                pages did not refresh, an interrupted import saved part)
  3  not found  the connector or operation named does not exist`

// ErrNotFound marks an error that exits with ExitNotFound.
var ErrNotFound = errors.New("not found")

// notFound keeps its own message and unwraps to ErrNotFound.
type notFound struct{ msg string }

func (e *notFound) Error() string        { return e.msg }
func (e *notFound) Is(target error) bool { return target == ErrNotFound }

// NotFound returns an error with the formatted message that exits with
// ExitNotFound (errors.Is(err, ErrNotFound)).
func NotFound(format string, args ...any) error {
	return &notFound{msg: fmt.Sprintf(format, args...)}
}
