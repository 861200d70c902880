package defs

// An operation's parameters and body.

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/connex-dev/connex/catalog"
	"github.com/connex-dev/connex/internal/jsonx"
)

func (cv *converter) parameters(op *catalog.Operation, pathParams, opParams []json.RawMessage, webhook *bool) ([]catalog.Parameter, json.RawMessage) {
	type keyed struct {
		key string
		p   catalog.Parameter
	}
	var list []keyed
	index := map[string]int{}
	var body json.RawMessage
	add := func(raw json.RawMessage, level string) {
		resolved, ok := cv.follow(raw)
		if !ok {
			cv.warn("%s %s: %s parameter's $ref cannot be resolved; it was skipped", op.Method, op.Path, level)
			return
		}
		if !jsonx.IsObject(resolved) {
			cv.warn("%s %s: %s parameter is not an object; it was skipped", op.Method, op.Path, level)
			return
		}
		p := catalog.Parameter{Dynamic: hasDynamic(resolved)}
		var items, schema json.RawMessage
		jsonx.Each(resolved, func(key []byte, mVal json.RawMessage) {
			switch string(key) {
			case "name":
				p.Key = cv.text(mVal)
			case "x-ms-summary":
				p.Name = strings.TrimSpace(cv.text(mVal))
			case "in":
				p.In = cv.text(mVal)
			case "required":
				p.Required = jsonx.Bool(mVal)
			case "type":
				p.Type = cv.text(mVal)
			case "format":
				p.Format = cv.text(mVal)
			case "items":
				items = mVal
			case "enum":
				for _, e := range jsonx.Elems(mVal) {
					s, ok := jsonx.Scalar(e)
					if !ok {
						s = string(e)
					}
					p.Enum = append(p.Enum, cv.intern(s))
				}
			case "default":
				p.Default = cv.intern(string(bytes.TrimSpace(mVal)))
			case "description":
				p.Description = strings.TrimSpace(cv.text(mVal))
			case "x-ms-url-encoding":
				if strings.EqualFold(strings.TrimSpace(cv.text(mVal)), catalog.URLEncodingDouble) {
					p.URLEncoding = catalog.URLEncodingDouble
				}
			case "x-ms-visibility":
				p.Visibility = catalog.Visibility(cv.intern(strings.ToLower(strings.TrimSpace(cv.text(mVal)))))
			case "schema":
				schema = mVal
			}
		})
		if p.Name == "" {
			p.Name = p.Key
		}
		switch {
		case p.In == "body":
			p.Schema = schema
			p.Type = cv.intern(cv.schemaType(schema))
		case p.Type == "array":
			p.Schema = items
			if it := cv.schemaType(items); len(items) > 0 && it != "" {
				p.Type = cv.intern("array of " + it)
			}
		}
		if p.Type == "" && p.Dynamic {
			p.Type = "dynamic"
		}
		if !*webhook && cv.hasNotifURL(resolved) {
			*webhook = true
		}
		k := p.Key + "\x00" + p.In
		if i, dup := index[k]; dup {
			list[i].p = p // the operation's own parameter wins
		} else {
			index[k] = len(list)
			list = append(list, keyed{k, p})
		}
	}
	for _, raw := range pathParams {
		add(raw, "a path-level")
	}
	for _, raw := range opParams {
		add(raw, "an operation-level")
	}
	if len(list) == 0 {
		return nil, nil
	}
	out := make([]catalog.Parameter, len(list))
	for i, k := range list {
		out[i] = k.p
		if k.p.In == "body" && body == nil {
			body = k.p.Schema
		}
	}
	return out, body
}
