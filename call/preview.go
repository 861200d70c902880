package call

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// SecretEnv is the environment variable a curl export reads the secret from.
const SecretEnv = "CONNEX_SECRET"

// Preview renders the request as HTTP text (request line, headers, blank
// line, body) with every secret masked. Binary bodies are summarised. The
// text is not yet safe for a terminal: pass it through safeterm.
func Preview(r *Request) string {
	var b strings.Builder
	b.WriteString(r.Method + " " + r.MaskedURL() + "\n")
	h := r.MaskedHeader()
	for _, k := range sortedKeys(h) {
		for _, v := range h[k] {
			b.WriteString(k + ": " + v + "\n")
		}
	}
	if len(r.Body) > 0 {
		b.WriteString("\n")
		b.WriteString(bodyText(r.ScrubBytes(r.Body)))
		if !strings.HasSuffix(b.String(), "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// bodyText returns a body as text, or a summary when it is binary.
func bodyText(body []byte) string {
	if !utf8.Valid(body) {
		return "(" + FormatSize(int64(len(body))) + " of binary data)"
	}
	return string(body)
}

func sortedKeys(h http.Header) []string {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// CurlMode says how a curl export shows secrets.
type CurlMode int

const (
	// CurlMasked writes **** in place of every secret.
	CurlMasked CurlMode = iota
	// CurlEnv references $CONNEX_SECRET, so the command runs once the
	// user exports the secret; the secret itself is never written.
	CurlEnv
)

// Curl returns the equivalent curl command, on one line per option.
// Secrets are never written: masked or read from $CONNEX_SECRET.
func Curl(r *Request, mode CurlMode) string {
	secretRef := Mask
	if mode == CurlEnv {
		secretRef = "${" + SecretEnv + "}"
	}
	// The first line holds the method and URL, one option per line after.
	first := "curl"
	if r.Method != http.MethodGet || len(r.Body) > 0 {
		first += " -X " + shellQuote(r.Method)
	}
	u := r.Scrub(maskQuery(r.URL, r.isSecretQuery, "\x00"))
	args := []string{first + " " + quoteWithSecret(u, secretRef, mode)}
	for _, k := range sortedKeys(r.Header) {
		for _, v := range r.Header[k] {
			if r.isSecretHeader(k) {
				switch {
				case k == "Authorization" && r.AuthType == AuthBasic:
					args = append(args, "-u "+quoteWithSecret("\x00", secretRef, mode))
					continue
				case k == "Authorization" && r.AuthType == AuthBearer:
					v = "Bearer \x00"
				case contains(r.SecretHeaders, k):
					v = "\x00"
				default:
					v = maskHeaderValue(v)
				}
			} else {
				v = r.Scrub(v)
			}
			args = append(args, "-H "+quoteWithSecret(k+": "+v, secretRef, mode))
		}
	}
	if len(r.Body) > 0 {
		if utf8.Valid(r.Body) {
			args = append(args, "--data-binary "+shellQuote(r.Scrub(string(r.Body))))
		} else {
			args = append(args, "--data-binary @body.bin")
		}
	}
	out := strings.Join(args, " \\\n  ")
	if mode == CurlEnv && r.AuthType != "" {
		hint := "the secret"
		if r.AuthType == AuthBasic {
			hint = "user:password"
		}
		out = "# export " + SecretEnv + "=... (" + hint + ") first\n" + out
	}
	if len(r.Body) > 0 && !utf8.Valid(r.Body) {
		out += "\n# the body is binary: save it as body.bin first"
	}
	return out + "\n"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if http.CanonicalHeaderKey(x) == http.CanonicalHeaderKey(s) {
			return true
		}
	}
	return false
}

// quoteWithSecret shell-quotes s, where a NUL byte marks the secret's
// place: written as the mask, or as an environment variable reference in
// double quotes so the shell expands it.
func quoteWithSecret(s, ref string, mode CurlMode) string {
	if !strings.Contains(s, "\x00") {
		return shellQuote(s)
	}
	if mode != CurlEnv {
		return shellQuote(strings.ReplaceAll(s, "\x00", Mask))
	}
	parts := strings.Split(s, "\x00")
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteString(`"` + ref + `"`)
		}
		if p != "" {
			b.WriteString(shellQuote(p))
		}
	}
	return b.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@,+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// FormatSize writes a byte count for people: 512 B, 1.5 KiB, 5 MiB.
func FormatSize(n int64) string {
	const unit = 1024
	switch {
	case n < unit:
		return itoa(n) + " B"
	case n < unit*unit:
		return trimFloat(float64(n)/unit) + " KiB"
	default:
		return trimFloat(float64(n)/(unit*unit)) + " MiB"
	}
}

// FormatDuration writes a call's duration for people: 84 ms, 1.25 s.
func FormatDuration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}
