//go:build !darwin || cgo

package platform

import (
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity/cache"
)

// persistentCache is azidentity's OS-protected token cache: the kernel
// keyring's key on Linux, DPAPI on Windows, the keychain on macOS.
func persistentCache() (azidentity.Cache, error) {
	return cache.New(&cache.Options{Name: cacheName})
}
