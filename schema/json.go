package schema

import (
	"errors"
	"fmt"

	"github.com/connex-dev/connex/internal/jsonx"
)

// decodeOrdered decodes one schema document with jsonx.DecodeOrdered,
// mapping its errors onto this package's sentinels.
func decodeOrdered(raw []byte) (any, error) {
	v, err := jsonx.DecodeOrdered(raw, MaxJSONDepth)
	switch {
	case errors.Is(err, jsonx.ErrTooDeep):
		return nil, fmt.Errorf("%w: more than %d levels", ErrTooDeep, MaxJSONDepth)
	case err != nil:
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	return v, nil
}
