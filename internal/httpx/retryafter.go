// Package httpx holds the small HTTP rules the crawler, the platform
// client and the call engine share, so that each is written once.
package httpx

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter bounds a Retry-After in seconds (about 11.6 days): a reply
// is untrusted, and a huge number must not overflow a time.Duration.
const maxRetryAfter = 1e6

// RetryAfter reads a Retry-After header value (RFC 9110 10.2.3): a number
// of seconds or an HTTP date, the wait counted from now. A negative number
// or a date in the past is no wait (0, true); an empty or unreadable value
// is no Retry-After at all (0, false).
func RetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		secs = min(max(secs, 0), maxRetryAfter)
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}
