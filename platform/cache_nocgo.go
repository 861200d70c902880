//go:build darwin && !cgo

package platform

import (
	"errors"

	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
)

// persistentCache: the macOS keychain needs cgo; a build without it (a
// cross-compiled one) has no persistent cache, and says so.
func persistentCache() (azidentity.Cache, error) {
	return azidentity.Cache{}, errors.New("this build of connex has no keychain access (built without cgo): use az login (--method cli)")
}
