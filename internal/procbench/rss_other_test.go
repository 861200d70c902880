//go:build !unix

package procbench

import "os"

// maxRSS is unknown here (Windows reports it through another API).
func maxRSS(*os.ProcessState) int64 { return 0 }
