package platform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Logic Apps API connections (route 2) are Azure resources: listed per
// subscription through Azure Resource Manager, they give the resource id
// that `connex call --connection` takes for a dynamicInvoke.

const (
	// SubscriptionsAPIVersion is the ARM api-version of the
	// subscription list.
	SubscriptionsAPIVersion = "2022-12-01"
	// WebAPIVersion is the api-version of Microsoft.Web/connections (as
	// for dynamicInvoke).
	WebAPIVersion = ARMAPIVersion
	// maxSubscriptions bounds a listing over every subscription.
	maxSubscriptions = 50
)

// AzureConnection is one Logic Apps API connection to a connector.
type AzureConnection struct {
	ID           string   `json:"id"` // the resource id: what --connection takes
	Name         string   `json:"name"`
	Connector    string   `json:"connector"`
	DisplayName  string   `json:"display_name"`
	Location     string   `json:"location,omitempty"`
	Statuses     []string `json:"statuses,omitempty"`
	Subscription string   `json:"subscription"`
}

// Connected reports whether the connection's status is Connected.
func (c AzureConnection) Connected() bool {
	return Connection{Statuses: c.Statuses}.Connected()
}

// AzureConnections lists the Logic Apps API connections to connector id
// (every connector when id is "") in subscription sub, or in every enabled
// subscription the account can see (at most 50) when sub is "". A
// subscription whose connections the account may not list is skipped; an
// entry whose id is not an API connection resource id is left out (the
// reply is untrusted: its id is what a token is later sent for).
func (c *Client) AzureConnections(ctx context.Context, sub, id string) ([]AzureConnection, error) {
	subs := []string{sub}
	if sub == "" {
		var err error
		if subs, err = c.subscriptions(ctx); err != nil {
			return nil, err
		}
	}
	out := []AzureConnection{}
	var refused []error
	for _, s := range subs {
		conns, err := c.azureConnections(ctx, s, id)
		if errors.Is(err, ErrForbidden) && sub == "" {
			refused = append(refused, err)
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, conns...)
	}
	if len(subs) > 0 && len(refused) == len(subs) {
		return nil, refused[0]
	}
	return out, nil
}

// subscriptions lists the ids of the enabled subscriptions.
func (c *Client) subscriptions(ctx context.Context) ([]string, error) {
	u := c.endpoints.ARM + "/subscriptions?api-version=" + SubscriptionsAPIVersion
	var out []string
	err := c.list(ctx, u, AudienceARM, func(raw json.RawMessage) error {
		var s struct {
			SubscriptionID string `json:"subscriptionId"`
			State          string `json:"state"`
		}
		if err := json.Unmarshal(raw, &s); err != nil {
			return err
		}
		if s.SubscriptionID != "" && strings.EqualFold(s.State, "Enabled") && len(out) < maxSubscriptions {
			out = append(out, s.SubscriptionID)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("your Azure subscriptions: %w", err)
	}
	return out, nil
}

func (c *Client) azureConnections(ctx context.Context, sub, id string) ([]AzureConnection, error) {
	u := c.endpoints.ARM + "/subscriptions/" + url.PathEscape(sub) + "/providers/Microsoft.Web/connections?api-version=" + WebAPIVersion
	var out []AzureConnection
	err := c.list(ctx, u, AudienceARM, func(raw json.RawMessage) error {
		var k struct {
			ID         string `json:"id"`
			Name       string `json:"name"`
			Location   string `json:"location"`
			Properties struct {
				DisplayName string `json:"displayName"`
				API         struct {
					Name string `json:"name"`
					ID   string `json:"id"`
				} `json:"api"`
				Statuses []struct {
					Status string `json:"status"`
				} `json:"statuses"`
			} `json:"properties"`
		}
		if err := json.Unmarshal(raw, &k); err != nil {
			return err
		}
		connector := k.Properties.API.Name
		if connector == "" {
			connector = ConnectorID(k.Properties.API.ID)
		}
		if !validResourceID(k.ID) || (id != "" && !strings.EqualFold(connector, id)) {
			return nil
		}
		conn := AzureConnection{ID: k.ID, Name: k.Name, Connector: connector, DisplayName: k.Properties.DisplayName,
			Location: k.Location, Subscription: sub}
		for _, s := range k.Properties.Statuses {
			conn.Statuses = append(conn.Statuses, s.Status)
		}
		out = append(out, conn)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("API connections in subscription %s: %w", sub, err)
	}
	return out, nil
}
