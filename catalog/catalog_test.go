package catalog

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestSnapshotRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), SnapshotFile)
	want := Sample()
	if err := Save(path, want); err != nil {
		t.Fatal(err)
	}
	got, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Connectors, want.Connectors) {
		t.Fatal("connectors differ after a round trip")
	}
	if got.Stats() != want.Stats() {
		t.Fatalf("stats %+v, want %+v", got.Stats(), want.Stats())
	}
	// Saving the same catalogue twice gives the same bytes.
	first, _ := os.ReadFile(path)
	if err := Save(path, got); err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(path)
	if !bytes.Equal(first, second) {
		t.Fatal("saving the same catalogue twice gave different bytes")
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(filepath.Join(dir, "missing.snap")); !errors.Is(err, ErrNoCatalog) {
		t.Fatalf("missing file: %v, want ErrNoCatalog", err)
	}
	junk := filepath.Join(dir, "junk.snap")
	os.WriteFile(junk, []byte("{\"not\":\"a snapshot\"}"), 0o644)
	if _, err := Load(junk); !errors.Is(err, ErrCorruptSnapshot) {
		t.Fatalf("junk file: %v, want ErrCorruptSnapshot", err)
	}

	// A snapshot from a newer connex is refused and left untouched.
	newer := filepath.Join(dir, "newer.snap")
	var head bytes.Buffer
	head.Write(magic[:])
	binary.Write(&head, binary.BigEndian, SnapshotVersion+1)
	head.WriteString("future payload")
	os.WriteFile(newer, head.Bytes(), 0o644)
	if _, err := Load(newer); !errors.Is(err, ErrNewerVersion) {
		t.Fatalf("newer file: %v, want ErrNewerVersion", err)
	}
	after, _ := os.ReadFile(newer)
	if !bytes.Equal(after, head.Bytes()) {
		t.Fatal("newer snapshot was modified")
	}

	// A truncated snapshot is an error, not a half catalogue.
	good := filepath.Join(dir, "good.snap")
	if err := Save(good, Sample()); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(good)
	trunc := filepath.Join(dir, "trunc.snap")
	os.WriteFile(trunc, data[:len(data)/2], 0o644)
	if _, err := Load(trunc); !errors.Is(err, ErrCorruptSnapshot) {
		t.Fatalf("truncated file: %v, want ErrCorruptSnapshot", err)
	}
}

func TestBackupBeforeMigrate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, SnapshotFile)
	var old bytes.Buffer
	old.Write(magic[:])
	binary.Write(&old, binary.BigEndian, uint32(0))
	old.WriteString("old payload")
	os.WriteFile(path, old.Bytes(), 0o644)
	backup, err := BackupBeforeMigrate(path)
	if err != nil {
		t.Fatal(err)
	}
	if backup != path+".v0.bak" {
		t.Fatalf("backup %q", backup)
	}
	got, _ := os.ReadFile(backup)
	if !bytes.Equal(got, old.Bytes()) {
		t.Fatal("backup differs from the original")
	}
	// A current snapshot needs no backup.
	Save(path, Sample())
	if backup, _ := BackupBeforeMigrate(path); backup != "" {
		t.Fatalf("backup of a current snapshot: %q", backup)
	}
}

func TestSampleCatalogue(t *testing.T) {
	c := Sample()
	want := Stats{Connectors: 3, Operations: 12, Actions: 10, Triggers: 2, Parameters: 14,
		ByTier: TierCounts{Standard: 2, Premium: 1}, ByPublisherKind: PublisherKindCounts{Certified: 1, Independent: 2},
		ByProduct: ProductCounts{LogicApps: 3, PowerAutomate: 3, PowerApps: 3, CopilotStudio: 3}, Preview: 1,
		BySource: SourceCounts{Sample: 3}}
	if got := c.Stats(); got != want {
		t.Fatalf("sample stats %+v, want %+v", got, want)
	}
	if _, op, ok := c.Operation("SAMPLETASKS", "createtaskv2"); !ok || op.ID != "CreateTaskV2" {
		t.Fatal("case-insensitive operation lookup failed")
	}
	for _, conn := range c.Connectors {
		if conn.Host != SampleHost {
			t.Errorf("%s: host %q, sample calls must only reach a mock", conn.ID, conn.Host)
		}
	}
}

func TestNormalizeID(t *testing.T) {
	cases := map[string]string{
		"Office 365 Outlook":                 "office365outlook",
		"SendGrid":                           "sendgrid",
		"Azure Log Analytics Data Collector": "azureloganalyticsdat",
		"10to8 Appointment Scheduling":       "10to8appointmentsche",
		"Café Ünïcode":                       "cafncode",
		"":                                   "",
	}
	for in, want := range cases {
		if got := NormalizeID(in); got != want {
			t.Errorf("NormalizeID(%q) = %q, want %q", in, got, want)
		}
	}
	if got := NormalizeName("Azure Blob Storage (Preview)"); got != "azureblobstorage" {
		t.Errorf("NormalizeName = %q", got)
	}
}

func TestMerge(t *testing.T) {
	site := &Catalog{Connectors: []*Connector{{
		ID: "sampletasks", Name: "Sample Tasks", Tier: TierPremium,
		Products:   []Product{{Name: ProductPowerAutomate, Class: TierPremium}},
		Operations: []*Operation{{ID: "ListTasks", Name: "List tasks", Kind: KindAction}, {ID: "SiteOnly", Name: "Only on the site", Kind: KindAction}},
		Sources:    map[string]Source{SourceSite: {Kind: SourceSite, Ref: "https://example.com/sampletasks/"}},
	}, {ID: "firstparty", Name: "First Party"}}}
	c := Sample()
	c.Merge(site)
	if c.Sample {
		t.Error("a merged catalogue is no longer the sample")
	}
	conn, _ := c.Connector("sampletasks")
	if conn.Tier != TierPremium || len(conn.Products) != 1 {
		t.Errorf("site fields not taken: tier %q products %v", conn.Tier, conn.Products)
	}
	if conn.Host != SampleHost || conn.Description == "" {
		t.Error("definition fields lost in the merge")
	}
	if got := len(conn.Operations); got != 6 {
		t.Errorf("operations after merge = %d, want 6 (5 + 1 site-only)", got)
	}
	if op := conn.Operation("ListTasks"); op.Method != "GET" || len(op.Parameters) != 2 {
		t.Errorf("ListTasks lost method or parameters: %+v", op)
	}
	if len(c.Connectors) != 4 || c.Connectors[0].ID != "firstparty" {
		t.Errorf("connectors not sorted or missing: %d", len(c.Connectors))
	}
}

func TestDocumentationURL(t *testing.T) {
	cases := []struct {
		conn Connector
		want string
	}{
		{Connector{ID: "mailjet", PublisherKind: PublisherCertified}, "https://learn.microsoft.com/en-us/connectors/mailjet/"},
		{Connector{ID: "x", DocsURL: "https://example.com/x"}, "https://example.com/x"},
		{Connector{ID: "mine", PublisherKind: PublisherCustom}, ""},
		{*Sample().Connectors[0], ""},
	}
	for _, c := range cases {
		if got := c.conn.DocumentationURL(); got != c.want {
			t.Errorf("%s: %q, want %q", c.conn.ID, got, c.want)
		}
	}
}

func TestProductNamed(t *testing.T) {
	for in, want := range map[string]string{"powerautomate": ProductPowerAutomate, "Logic Apps": ProductLogicApps, "copilot-studio": ProductCopilotStudio, "Excel": ""} {
		if got, ok := ProductNamed(in); got != want || ok != (want != "") {
			t.Errorf("ProductNamed(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestUserParametersLeaveOutTheConnection(t *testing.T) {
	op := &Operation{ID: "SendEmailV2", Parameters: []Parameter{
		{Key: "connectionId", In: "path", Required: true}, {Key: "emailMessage", In: "body", Required: true}}}
	via := &Connector{ID: "mail", ViaConnection: true, Operations: []*Operation{op}}
	if got := via.UserParameters(op); len(got) != 1 || got[0].Key != "emailMessage" {
		t.Errorf("through a connection: %+v", got)
	}
	direct := &Connector{ID: "mail", Operations: []*Operation{op}}
	if got := direct.UserParameters(op); len(got) != 2 {
		t.Errorf("direct: %+v", got)
	}
}
