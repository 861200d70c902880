//go:build !race

package realdata

const raceBuild = false
