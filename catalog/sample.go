package catalog

import (
	"encoding/json"
	"time"
)

// sampleTime is fixed so the sample catalogue is identical on every run.
var sampleTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// SampleHost is the host of every sample connector. ".invalid" never
// resolves (RFC 2606), so sample calls can only reach a local mock.
const SampleHost = "api.connex-sample.invalid"

// Sample returns the built-in sample catalogue: three invented connectors,
// clearly labelled, so that a fresh offline install has something to show.
// Real data replaces it after the first import or refresh.
func Sample() *Catalog {
	src := map[string]Source{"definition": {Kind: SourceSample, Ref: "built-in", At: sampleTime}}
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	c := &Catalog{
		Sample:    true,
		UpdatedAt: sampleTime,
		Origins:   []Source{{Kind: SourceSample, Ref: "built-in", At: sampleTime}},
		Connectors: []*Connector{
			{
				ID: "sampletasks", Folder: "Sample Tasks", Name: "Sample Tasks",
				Description: "SAMPLE connector (invented for connex): keep a to-do list of tasks with due dates and owners.",
				Publisher:   "connex samples", PublisherKind: PublisherIndependent, Tier: TierStandard,
				Products:   allProducts(TierStandard),
				Categories: []string{"Productivity"},
				Website:    "https://example.com/tasks",
				BrandColor: "#2d7d46",
				Host:       SampleHost, BasePath: "/tasks/v1", Schemes: []string{"https"},
				AuthTypes: []AuthType{{
					Name: "API Key", Type: "apikey", In: "header", ParamName: "X-Api-Key",
					Parameters: []ConnectionParam{{Name: "api_key", DisplayName: "API Key", Type: "securestring", Required: true,
						Description: "Any value works against the local mock."}},
				}},
				Throttling: []Limit{{Name: "API calls per connection", Value: "100", Renewal: "60 seconds"}},
				Sources:    src,
				Definitions: map[string]json.RawMessage{
					"Task": raw(`{"type":"object","required":["title"],"properties":{"id":{"type":"string","description":"Task id","example":"t-42"},"title":{"type":"string","description":"What to do","example":"Write the report"},"done":{"type":"boolean","description":"Whether the task is finished"},"due":{"type":"string","format":"date-time","description":"When the task is due"},"owner":{"type":"string","format":"email","description":"Who owns the task"},"tags":{"type":"array","items":{"type":"string"}}}}`),
				},
				Operations: []*Operation{
					{ID: "ListTasks", Name: "List tasks", Description: "Lists the tasks, newest first.", Kind: KindAction,
						Method: "GET", Path: "/tasks", Visibility: VisibilityImportant, Produces: []string{"application/json"},
						Parameters: []Parameter{
							{Name: "Status", Key: "status", In: "query", Type: "string", Enum: []string{"open", "done", "all"}, Default: `"open"`, Description: "Which tasks to list"},
							{Name: "Top", Key: "$top", In: "query", Type: "integer", Format: "int32", Default: "20", Description: "Maximum number of tasks"},
						},
						Responses: []Response{{Status: "200", Description: "The tasks", Schema: raw(`{"type":"array","items":{"$ref":"#/definitions/Task"}}`)}}},
					{ID: "GetTask", Name: "Get a task", Description: "Gets one task by its id.", Kind: KindAction,
						Method: "GET", Path: "/tasks/{taskId}", Produces: []string{"application/json"},
						Parameters: []Parameter{{Name: "Task ID", Key: "taskId", In: "path", Required: true, Type: "string", Description: "The task's id"}},
						Responses:  []Response{{Status: "200", Description: "The task", Schema: raw(`{"$ref":"#/definitions/Task"}`)}, {Status: "404", Description: "No such task"}}},
					{ID: "CreateTaskV2", Name: "Create a task (V2)", Description: "Creates a task.", Kind: KindAction,
						Method: "POST", Path: "/tasks", Visibility: VisibilityImportant, Consumes: []string{"application/json"}, Produces: []string{"application/json"},
						Parameters: []Parameter{
							{Name: "Request ID", Key: "X-Request-Id", In: "header", Type: "string", Format: "uuid", Description: "Makes retries safe", Visibility: VisibilityAdvanced},
							{Name: "body", Key: "body", In: "body", Required: true, Type: "object", Schema: raw(`{"$ref":"#/definitions/Task"}`)},
						},
						Body:      raw(`{"$ref":"#/definitions/Task"}`),
						Responses: []Response{{Status: "201", Description: "Created", Schema: raw(`{"$ref":"#/definitions/Task"}`)}}},
					{ID: "CreateTask", Name: "Create a task [DEPRECATED]", Description: "This action has been deprecated. Please use Create a task (V2) instead.", Kind: KindAction,
						Method: "POST", Path: "/tasks/legacy", Deprecated: true, ReplacedBy: "CreateTaskV2", Visibility: VisibilityAdvanced,
						Consumes:   []string{"application/x-www-form-urlencoded"},
						Parameters: []Parameter{{Name: "Title", Key: "title", In: "formData", Required: true, Type: "string", Description: "What to do"}},
						Responses:  []Response{{Status: "200", Description: "OK"}}},
					{ID: "OnTaskDone", Name: "When a task is completed", Description: "Triggers when a task is marked done.", Kind: KindTrigger, TriggerType: TriggerPolling,
						Method: "GET", Path: "/tasks/trigger/done", Produces: []string{"application/json"},
						Responses: []Response{{Status: "200", Description: "Completed tasks", Schema: raw(`{"type":"array","items":{"$ref":"#/definitions/Task"}}`)}}},
				},
			},
			{
				ID: "sampleweather", Folder: "Sample Weather", Name: "Sample Weather",
				Description: "SAMPLE connector (invented for connex): current conditions and forecasts for a city.",
				Publisher:   "connex samples", PublisherKind: PublisherIndependent, Tier: TierStandard,
				Products:   allProducts(TierStandard),
				Categories: []string{"Data"},
				BrandColor: "#1f6feb",
				Host:       SampleHost, BasePath: "/weather", Schemes: []string{"https"},
				AuthTypes: []AuthType{{
					Name: "API Key", Type: "apikey", In: "query", ParamName: "appid",
					Parameters: []ConnectionParam{{Name: "appid", DisplayName: "App ID", Type: "securestring", Required: true}},
				}},
				Sources: src,
				Operations: []*Operation{
					{ID: "GetCurrentWeather", Name: "Get current weather", Description: "Current conditions for a city.", Kind: KindAction,
						Method: "GET", Path: "/current", Visibility: VisibilityImportant, Produces: []string{"application/json"},
						Parameters: []Parameter{
							{Name: "City", Key: "city", In: "query", Required: true, Type: "string", Description: "City name, e.g. Lisbon"},
							{Name: "Units", Key: "units", In: "query", Type: "string", Enum: []string{"metric", "imperial"}, Default: `"metric"`},
						},
						Responses: []Response{{Status: "200", Description: "Conditions", Schema: raw(`{"type":"object","properties":{"city":{"type":"string","example":"Lisbon"},"temperature":{"type":"number","example":21.5},"conditions":{"type":"string","enum":["clear","cloudy","rain","snow"]}}}`)}}},
					{ID: "GetForecast", Name: "Get forecast", Description: "Daily forecast for up to 7 days.", Kind: KindAction,
						Method: "GET", Path: "/forecast/{city}", Produces: []string{"application/json"},
						Parameters: []Parameter{
							{Name: "City", Key: "city", In: "path", Required: true, Type: "string"},
							{Name: "Days", Key: "days", In: "query", Type: "integer", Default: "3", Description: "1 to 7"},
						},
						Responses: []Response{{Status: "200", Description: "Forecast", Schema: raw(`{"type":"array","items":{"type":"object","properties":{"date":{"type":"string","format":"date"},"high":{"type":"number"},"low":{"type":"number"}}}}`)}}},
					{ID: "GetAlertsInternal", Name: "Get alerts (internal)", Description: "Used by the connector itself.", Kind: KindAction,
						Method: "GET", Path: "/alerts", Visibility: VisibilityInternal,
						Responses: []Response{{Status: "200", Description: "OK"}}},
				},
			},
			{
				ID: "sampleorders", Folder: "Sample Orders", Name: "Sample Orders",
				Description: "SAMPLE connector (invented for connex): orders and customers of a small shop, with a webhook trigger for new orders.",
				Publisher:   "connex samples", PublisherKind: PublisherCertified, Tier: TierPremium, Preview: true,
				Products:   allProducts(TierPremium),
				Categories: []string{"Sales and CRM"},
				BrandColor: "#8250df",
				Host:       SampleHost, BasePath: "/shop", Schemes: []string{"https"},
				AuthTypes: []AuthType{{
					Name: "Basic", Type: "basic",
					Parameters: []ConnectionParam{
						{Name: "username", DisplayName: "User name", Type: "string", Required: true},
						{Name: "password", DisplayName: "Password", Type: "securestring", Required: true},
					},
				}},
				Limits:      []Limit{{Name: "Maximum orders per page", Value: "100"}},
				KnownIssues: []KnownIssue{{Summary: "Totals are rounded", Operations: "Get an order", Description: "Order totals are rounded to two decimals."}},
				Sources:     src,
				Definitions: map[string]json.RawMessage{
					"Order": raw(`{"type":"object","required":["customerId","lines"],"properties":{"id":{"type":"integer","format":"int64","example":1001},"customerId":{"type":"string","example":"c-7"},"lines":{"type":"array","items":{"$ref":"#/definitions/Line"}},"total":{"type":"number","format":"double"}}}`),
					"Line":  raw(`{"type":"object","required":["sku","quantity"],"properties":{"sku":{"type":"string","example":"SKU-1"},"quantity":{"type":"integer","example":2}}}`),
				},
				Operations: []*Operation{
					{ID: "GetOrder", Name: "Get an order", Description: "Gets an order by number.", Kind: KindAction,
						Method: "GET", Path: "/orders/{orderId}", Visibility: VisibilityImportant, Produces: []string{"application/json"},
						Parameters: []Parameter{{Name: "Order number", Key: "orderId", In: "path", Required: true, Type: "integer", Format: "int64"}},
						Responses:  []Response{{Status: "200", Description: "The order", Schema: raw(`{"$ref":"#/definitions/Order"}`)}}},
					{ID: "CreateOrder", Name: "Create an order", Description: "Places a new order.", Kind: KindAction,
						Method: "POST", Path: "/orders", Consumes: []string{"application/json"}, Produces: []string{"application/json"},
						Parameters: []Parameter{{Name: "body", Key: "body", In: "body", Required: true, Type: "object", Schema: raw(`{"$ref":"#/definitions/Order"}`)}},
						Body:       raw(`{"$ref":"#/definitions/Order"}`),
						Responses:  []Response{{Status: "201", Description: "Created", Schema: raw(`{"$ref":"#/definitions/Order"}`)}}},
					{ID: "DeleteOrder", Name: "Cancel an order", Description: "Cancels an order that has not shipped.", Kind: KindAction,
						Method: "DELETE", Path: "/orders/{orderId}",
						Parameters: []Parameter{{Name: "Order number", Key: "orderId", In: "path", Required: true, Type: "integer"}},
						Responses:  []Response{{Status: "204", Description: "Cancelled"}}},
					{ID: "OnNewOrder", Name: "When an order is placed", Description: "Triggers when a new order is placed (webhook).", Kind: KindTrigger, TriggerType: TriggerWebhook,
						Method: "POST", Path: "/hooks", Consumes: []string{"application/json"},
						Parameters: []Parameter{{Name: "body", Key: "body", In: "body", Required: true, Type: "object",
							Schema: raw(`{"type":"object","required":["callbackUrl"],"properties":{"callbackUrl":{"type":"string","format":"uri","x-ms-notification-url":true}}}`)}},
						Body:      raw(`{"type":"object","required":["callbackUrl"],"properties":{"callbackUrl":{"type":"string","format":"uri","x-ms-notification-url":true}}}`),
						Responses: []Response{{Status: "201", Description: "Subscribed"}}},
				},
			},
		},
	}
	c.Reindex()
	return c
}

func allProducts(t Tier) []Product {
	out := make([]Product, 0, len(Products))
	for _, p := range Products {
		out = append(out, Product{Name: p, Class: t, Regions: "All regions"})
	}
	return out
}
