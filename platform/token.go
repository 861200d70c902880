package platform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"

	"github.com/connex-dev/connex/internal/httpx"
	"github.com/connex-dev/connex/internal/safeterm"
)

// refreshSkew: a token this close to its expiry is replaced before use, so
// a long call never starts with a token that dies on the way.
const refreshSkew = 2 * time.Minute

// tokenCache keeps one access token per audience in memory only (the
// credential's own cache is the persistent one) and asks the credential
// again when the token is about to expire or the service refused it.
type tokenCache struct {
	cred azcore.TokenCredential
	now  func() time.Time

	mu     sync.Mutex
	tokens map[string]azcore.AccessToken
}

func newTokenCache(cred azcore.TokenCredential, now func() time.Time) *tokenCache {
	if now == nil {
		now = time.Now
	}
	return &tokenCache{cred: cred, now: now, tokens: map[string]azcore.AccessToken{}}
}

func (t *tokenCache) get(ctx context.Context, audience string) (string, error) {
	if t.cred == nil {
		return "", fmt.Errorf("%w: run connex login (or sign in with az login)", ErrNotSignedIn)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if tok, ok := t.tokens[audience]; ok && t.now().Add(refreshSkew).Before(tok.ExpiresOn) {
		return tok.Token, nil
	}
	tok, err := t.cred.GetToken(ctx, policy.TokenRequestOptions{Scopes: []string{audience + ".default"}})
	if err != nil {
		return "", fmt.Errorf("%w: getting a token for %s: %v (run connex login)", ErrNotSignedIn, audience, err)
	}
	t.tokens[audience] = tok
	return tok.Token, nil
}

func (t *tokenCache) drop(audience string) {
	t.mu.Lock()
	delete(t.tokens, audience)
	t.mu.Unlock()
}

// StaticToken is a credential that returns one token for every audience:
// for scripts that already hold a token (CONNEX_ACCESS_TOKEN) and for the
// local fake. It is never written anywhere.
type StaticToken struct {
	Token     string
	ExpiresOn time.Time // zero: an hour from each request
}

// GetToken implements azcore.TokenCredential.
func (s StaticToken) GetToken(context.Context, policy.TokenRequestOptions) (azcore.AccessToken, error) {
	if s.Token == "" {
		return azcore.AccessToken{}, errors.New("no token")
	}
	exp := s.ExpiresOn
	if exp.IsZero() {
		exp = time.Now().Add(time.Hour)
	}
	return azcore.AccessToken{Token: s.Token, ExpiresOn: exp}, nil
}

// StatusError is a reply the service refused, with what it said.
type StatusError struct {
	Status     int
	Code       string // the service's error code, when it gave one
	Message    string // the service's message, made inert for a terminal
	RetryAfter time.Duration
	kind       error
	hint       string
}

func (e *StatusError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d", e.Status)
	if e.kind != nil {
		b.WriteString(": " + e.kind.Error())
	}
	if e.Code != "" || e.Message != "" {
		b.WriteString(" (")
		if e.Code != "" {
			b.WriteString(e.Code)
			if e.Message != "" {
				b.WriteString(": ")
			}
		}
		b.WriteString(e.Message)
		b.WriteString(")")
	}
	if e.hint != "" {
		b.WriteString("; " + e.hint)
	}
	return b.String()
}

// Unwrap lets errors.Is match ErrNotSignedIn, ErrForbidden, ErrDLP...
func (e *StatusError) Unwrap() error { return e.kind }

// StatusDLP is the status the Power Platform answers when a data loss
// prevention policy blocks a connector in an environment. It is not a
// standard HTTP status: net/http has neither a constant nor a name for it.
const StatusDLP = 442

// StatusText names a reply's status as net/http does, the platform's
// StatusDLP included.
func StatusText(code int) string {
	if code == StatusDLP {
		return "Blocked by a data loss prevention policy"
	}
	return http.StatusText(code)
}

// statusError turns a refused reply into an error that says what to do.
// env names the environment for the DLP message, when known.
func statusError(resp *http.Response, body []byte, env string) *StatusError {
	e := &StatusError{Status: resp.StatusCode}
	var r struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &r) == nil {
		e.Code = r.Error.Code
		e.Message = r.Error.Message
		if e.Message == "" {
			e.Message = r.Message
		}
	}
	if len(e.Message) > 500 {
		e.Message = e.Message[:500] + "…"
	}
	e.Code = safeterm.Line(e.Code)
	e.Message = safeterm.Line(e.Message)
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		e.kind = ErrNotSignedIn
		e.hint = "the token was refused: run connex login (or az login) and try again"
	case http.StatusForbidden:
		e.kind = ErrForbidden
		e.hint = "your account has no access to this environment, connector or connection"
	case StatusDLP:
		e.kind = ErrDLP
		where := "the environment"
		if env != "" {
			where = "environment " + env
		}
		e.hint = "a data loss prevention policy of " + where + " forbids this connector here (ask the environment's admin)"
	case http.StatusTooManyRequests:
		e.kind = ErrThrottled
		wait, _ := httpx.RetryAfter(resp.Header.Get("Retry-After"), time.Now())
		e.RetryAfter = wait.Round(time.Second)
		if e.RetryAfter > 0 {
			e.hint = fmt.Sprintf("the connection's call limit was reached; try again in %s", e.RetryAfter)
		} else {
			e.hint = "the connection's call limit was reached; try again later"
		}
	case http.StatusNotFound:
		e.kind = ErrNotFound
	}
	return e
}
