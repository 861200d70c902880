package mock

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/schema"
)

// answer writes the operation's success answer.
func (h *handler) answer(w http.ResponseWriter, r *http.Request, rt *route) {
	plan := rt.plan(h.res)
	w.Header().Set(HeaderOperation, rt.op.ID)
	if plan.answer == nil {
		w.WriteHeader(plan.status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(plan.answer)))
	w.WriteHeader(plan.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(plan.answer)
	}
}

// prepared is what a route needs beyond its template, computed on first use.
type prepared struct {
	body   *schema.Schema // request body schema, resolved
	status int
	answer []byte // nil: no body
}

func (rt *route) plan(res *schema.Resolver) *prepared {
	rt.once.Do(func() {
		p := &prepared{status: http.StatusOK}
		if s, err := res.Parse(rt.op.BodySchema(), 0); err == nil {
			p.body = s
		}
		resp := successResponse(rt.op.Responses)
		if resp != nil {
			if code, err := strconv.Atoi(resp.Status); err == nil && code >= 200 && code < 300 {
				p.status = code
			}
			if s, err := res.Parse(resp.Schema, 0); err == nil && s != nil && bodyAllowed(p.status) {
				v := schema.Sample(s, schema.SampleOptions{})
				if b, err := json.Marshal(v); err == nil {
					p.answer = append(b, '\n')
				}
			}
		}
		rt.prepared = p
	})
	return rt.prepared
}

// successResponse is the first declared 2xx response, else "default".
func successResponse(list []catalog.Response) *catalog.Response {
	for i := range list {
		if s := strings.TrimSpace(list[i].Status); len(s) == 3 && s[0] == '2' {
			if _, err := strconv.Atoi(s); err == nil {
				return &list[i]
			}
		}
	}
	for i := range list {
		if strings.EqualFold(list[i].Status, "default") {
			return &list[i]
		}
	}
	return nil
}

func bodyAllowed(status int) bool {
	return status != http.StatusNoContent && status != http.StatusResetContent && status != http.StatusNotModified
}
