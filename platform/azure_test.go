package platform_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/connex-dev/connex/call"
	"github.com/connex-dev/connex/internal/ppfake"
	"github.com/connex-dev/connex/platform"
)

// Route 2: the Logic Apps API connections to a connector, across the
// subscriptions the account sees, with the resource id --connection takes;
// an entry whose id is no API connection resource id is left out.
func TestAzureConnections(t *testing.T) {
	t.Parallel()
	f := newFixture(t, time.Hour)
	f.fake.AddConnection(ppfake.Connection{Name: "sp-2", Connector: "sharepointonline", Environment: env, DisplayName: "bob@contoso.com",
		Status: "Error", ResourceID: "/subscriptions/2222-3333/resourceGroups/rg2/providers/Microsoft.Web/connections/sharepointonline-1"})
	f.fake.AddConnection(ppfake.Connection{Name: "bad", Connector: "sharepointonline", Environment: env,
		ResourceID: "/subscriptions/2222-3333/resourceGroups/rg2/providers/Microsoft.Web/connections/.."})
	ctx := context.Background()
	first := platform.AzureConnection{ID: "/subscriptions/0000-1111/resourceGroups/rg1/providers/Microsoft.Web/connections/sharepointonline",
		Name: "sharepointonline", Connector: "sharepointonline", DisplayName: "ada@contoso.com", Location: "westeurope",
		Statuses: []string{"Connected"}, Subscription: "0000-1111"}
	second := platform.AzureConnection{ID: "/subscriptions/2222-3333/resourceGroups/rg2/providers/Microsoft.Web/connections/sharepointonline-1",
		Name: "sharepointonline-1", Connector: "sharepointonline", DisplayName: "bob@contoso.com", Location: "westeurope",
		Statuses: []string{"Error"}, Subscription: "2222-3333"}
	for _, tt := range []struct {
		sub, id string
		want    []platform.AzureConnection
	}{
		{"", "sharepointonline", []platform.AzureConnection{first, second}},
		{"2222-3333", "sharepointonline", []platform.AzureConnection{second}},
		{"", "office365", []platform.AzureConnection{}},
	} {
		got, err := f.cli.AzureConnections(ctx, tt.sub, tt.id)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("AzureConnections(%q, %q) = %+v, %v; want %+v", tt.sub, tt.id, got, err, tt.want)
		}
	}
	if !first.Connected() || second.Connected() {
		t.Error("Connected")
	}
	// The listed id is one a call can go through.
	conn, op := operation(t, "sharepointonline", "GetItems")
	if _, err := f.cli.Prepare(ctx, conn, op, call.Input{Params: map[string]string{"dataset": "https://contoso.sharepoint.com/sites/hr", "table": "Issues"}}, platform.Target{Route: platform.RouteLogicApps, ConnectionResourceID: second.ID}); err != nil {
		t.Errorf("prepare through %s: %v", second.ID, err)
	}
	_, err := f.cli.Prepare(ctx, conn, op, call.Input{Params: map[string]string{"dataset": "https://contoso.sharepoint.com/sites/hr", "table": "Issues"}}, platform.Target{Route: platform.RouteLogicApps,
		ConnectionResourceID: "/subscriptions/2222-3333/resourceGroups/rg2/providers/Microsoft.Web/connections/.."})
	if !errors.Is(err, platform.ErrRefused) {
		t.Errorf("a dot segment resource id: %v, want refused", err)
	}
}
