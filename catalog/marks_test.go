package catalog

import (
	"reflect"
	"testing"
)

func TestConnectorMarks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		conn Connector
		want []string
	}{
		{Connector{}, nil},
		{Connector{Tier: TierStandard, Preview: true}, []string{"Preview"}},
		{Connector{Tier: TierPremium, Deprecated: true}, []string{"Premium", "Deprecated"}},
		{Connector{Tier: TierPremium, Preview: true, Deprecated: true}, []string{"Premium", "Preview", "Deprecated"}},
	} {
		if got := tc.conn.Marks(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%+v: marks %q, want %q", tc.conn, got, tc.want)
		}
	}
}
