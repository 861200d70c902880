package defs

// The operations of a swagger document: ids, methods, responses.

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/jsonx"
)

func (cv *converter) operations() []*catalog.Operation {
	var ops []*catalog.Operation
	ids := map[string]bool{}
	var dups []*catalog.Operation
	for _, pm := range jsonx.Members(cv.doc.Paths) {
		path := pm.Key
		members := jsonx.Members(pm.Value)
		var pathParams []json.RawMessage
		pathNotif := false
		for _, m := range members {
			switch m.Key {
			case "parameters":
				pathParams = jsonx.Elems(m.Value)
			case "x-ms-notification-content":
				pathNotif = true
			}
		}
		for _, m := range members {
			if !methods[m.Key] {
				continue
			}
			op := cv.operation(path, m.Key, m.Value, pathParams, pathNotif)
			if ids[op.ID] {
				dups = append(dups, op)
			} else {
				ids[op.ID] = true
			}
			ops = append(ops, op)
		}
	}
	// Disambiguate after every original id is known, so a renamed
	// duplicate never takes an id used later in the file.
	for _, op := range dups {
		old := op.ID
		for n := 2; ; n++ {
			id := fmt.Sprintf("%s_%d", old, n)
			if !ids[id] {
				op.ID = id
				ids[id] = true
				break
			}
		}
		cv.warn("operationId %q is used twice; the %s %s one is kept as %q", old, op.Method, op.Path, op.ID)
	}
	return ops
}

func (cv *converter) operation(path, method string, raw json.RawMessage, pathParams []json.RawMessage, pathNotif bool) *catalog.Operation {
	op := &catalog.Operation{Kind: catalog.KindAction, Method: cv.intern(strings.ToUpper(method)), Path: path}
	if !jsonx.IsObject(raw) {
		cv.warn("%s %s: not an operation object; kept with its method and path only", op.Method, path)
	}
	var params []json.RawMessage
	var responses, trigger json.RawMessage
	var consumes, produces []string
	hasConsumes, hasProduces, webhook := false, false, pathNotif
	status := ""
	jsonx.Each(raw, func(key []byte, mVal json.RawMessage) {
		switch string(key) {
		case "operationId":
			op.ID = strings.TrimSpace(jsonx.Text(mVal))
		case "summary":
			op.Name = strings.TrimSpace(jsonx.Text(mVal))
		case "description":
			op.Description = strings.TrimSpace(jsonx.Text(mVal))
		case "tags":
			op.Tags = cv.texts(mVal)
		case "consumes":
			consumes, hasConsumes = cv.texts(mVal), true
		case "produces":
			produces, hasProduces = cv.texts(mVal), true
		case "parameters":
			params = jsonx.Elems(mVal)
		case "responses":
			responses = mVal
		case "deprecated":
			op.Deprecated = jsonx.Bool(mVal)
		case "security":
			for _, req := range jsonx.Elems(mVal) {
				var names []string
				for _, r := range jsonx.Members(req) {
					names = append(names, r.Key)
				}
				sort.Strings(names)
				op.Security = append(op.Security, names...)
			}
		case "x-ms-visibility":
			op.Visibility = catalog.Visibility(cv.intern(strings.ToLower(strings.TrimSpace(cv.text(mVal)))))
		case "x-ms-trigger":
			trigger = mVal
		case "x-ms-capabilities":
			if jsonx.Present(mVal) {
				op.Capabilities = mVal
			}
		case "x-ms-notification-content":
			webhook = true
		case "x-ms-api-annotation":
			status = jsonx.Text(jsonx.Get(mVal, "status"))
		}
	})
	if op.ID == "" {
		op.ID = synthID(method, path)
		cv.warn("%s %s has no operationId; using %q", op.Method, path, op.ID)
	}
	if op.Name == "" {
		op.Name = op.ID
	}
	op.Preview = strings.EqualFold(status, "preview") || strings.Contains(strings.ToLower(op.Name), "(preview)")
	op.Consumes, op.Produces = consumes, produces
	if !hasConsumes {
		op.Consumes = cv.doc.Consumes
	}
	if !hasProduces {
		op.Produces = cv.doc.Produces
	}
	op.Dynamic = hasDynamic(raw)
	op.Parameters, op.Body = cv.parameters(op, pathParams, params, &webhook)
	for _, p := range op.Parameters {
		if p.Dynamic {
			op.Dynamic = true
		}
	}
	if jsonx.Present(trigger) {
		op.Kind = catalog.KindTrigger
		op.TriggerType = catalog.TriggerPolling
		if webhook {
			op.TriggerType = catalog.TriggerWebhook
		}
	}
	op.Responses = cv.responses(op, responses)
	return op
}

func synthID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	up := true
	for _, r := range path {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			if up {
				b.WriteString(strings.ToUpper(string(r)))
			} else {
				b.WriteRune(r)
			}
			up = false
			continue
		}
		up = true
	}
	return b.String()
}

func (cv *converter) responses(op *catalog.Operation, raw json.RawMessage) []catalog.Response {
	var out []catalog.Response
	for _, m := range jsonx.Members(raw) {
		if strings.HasPrefix(m.Key, "x-") {
			continue
		}
		resolved, ok := cv.follow(m.Value)
		if !ok {
			cv.warn("%s %s: response %s has a $ref that cannot be resolved", op.Method, op.Path, m.Key)
			out = append(out, catalog.Response{Status: cv.intern(m.Key)})
			continue
		}
		r := catalog.Response{Status: cv.intern(m.Key)}
		jsonx.Each(resolved, func(key []byte, fVal json.RawMessage) {
			switch string(key) {
			case "description":
				r.Description = strings.TrimSpace(cv.text(fVal))
			case "schema":
				r.Schema = fVal
			}
		})
		out = append(out, r)
	}
	return out
}
