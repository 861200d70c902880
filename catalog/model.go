package catalog

import (
	"encoding/json"
	"time"
)

// PublisherKind says who stands behind a connector.
type PublisherKind string

const (
	PublisherMicrosoft   PublisherKind = "microsoft"
	PublisherCertified   PublisherKind = "certified"   // certified partner
	PublisherIndependent PublisherKind = "independent" // independent publisher
	PublisherCustom      PublisherKind = "custom"
	PublisherUnknown     PublisherKind = ""
)

// Tier is the licence class of a connector.
type Tier string

const (
	TierStandard Tier = "standard"
	TierPremium  Tier = "premium"
	TierUnknown  Tier = ""
)

// Product names, as the reference site spells them.
const (
	ProductLogicApps     = "Logic Apps"
	ProductPowerAutomate = "Power Automate"
	ProductPowerApps     = "Power Apps"
	ProductCopilotStudio = "Copilot Studio"
)

// Products lists the known products in display order.
var Products = []string{ProductLogicApps, ProductPowerAutomate, ProductPowerApps, ProductCopilotStudio}

// OperationKind distinguishes actions from triggers.
type OperationKind string

const (
	KindAction  OperationKind = "action"
	KindTrigger OperationKind = "trigger"
)

// TriggerType says how a trigger fires.
type TriggerType string

const (
	TriggerNone    TriggerType = ""
	TriggerPolling TriggerType = "polling"
	TriggerWebhook TriggerType = "webhook"
)

// Visibility mirrors x-ms-visibility. An empty value is the default ("none"
// in the product): shown to makers, but not promoted.
type Visibility string

const (
	VisibilityDefault   Visibility = ""
	VisibilityImportant Visibility = "important"
	VisibilityAdvanced  Visibility = "advanced"
	VisibilityInternal  Visibility = "internal"
)

// Source records where a group of fields came from.
type Source struct {
	Kind string    `json:"kind"`          // "definition", "api", "site", "list", "sample"
	Ref  string    `json:"ref,omitempty"` // file path inside the source, or URL
	At   time.Time `json:"at"`
}

// Source kinds.
const (
	SourceDefinition = "definition"
	SourceSite       = "site"
	SourceSample     = "sample"
	// SourceAPI is a Power Platform API reply (apis/shared_<id>).
	SourceAPI = "api"
	// SourceList is the reference site's connector list read from a file
	// (the list page's content as data, not a crawl): ids, names, icons,
	// tier, preview and products only.
	SourceList = "list"
)

// Catalog is the whole catalogue: every connector known locally.
type Catalog struct {
	// Connectors sorted by ID.
	Connectors []*Connector `json:"connectors"`
	// Origins lists the sources merged into this catalogue (import paths,
	// the site's base URL), with the time each was last read.
	Origins []Source `json:"origins,omitempty"`
	// Sample is true for the built-in sample catalogue.
	Sample bool `json:"sample,omitempty"`
	// UpdatedAt is when the catalogue was last changed.
	UpdatedAt time.Time `json:"updated_at"`

	byID    map[string]*Connector
	byAlias map[string]*Connector // lower-case alias -> connector, built on first use
}

// Connector is one connector with all that is known of it.
type Connector struct {
	ID     string `json:"id"`
	Folder string `json:"folder,omitempty"` // folder name in the definitions repository
	// Aliases are other names that find this connector: its definitions
	// folder, its Power Platform API name (shared_<id>), an id it had
	// before a rename. Sorted, without ID itself.
	Aliases       []string      `json:"aliases,omitempty"`
	Name          string        `json:"name"` // display name
	Description   string        `json:"description,omitempty"`
	Publisher     string        `json:"publisher,omitempty"`
	PublisherKind PublisherKind `json:"publisher_kind,omitempty"`
	Tier          Tier          `json:"tier,omitempty"`
	Preview       bool          `json:"preview,omitempty"`
	Deprecated    bool          `json:"deprecated,omitempty"`
	Products      []Product     `json:"products,omitempty"`
	RegionsNote   string        `json:"regions_note,omitempty"`
	Categories    []string      `json:"categories,omitempty"`
	Website       string        `json:"website,omitempty"`
	PrivacyPolicy string        `json:"privacy_policy,omitempty"`
	Contact       Contact       `json:"contact,omitempty"`
	IconURL       string        `json:"icon_url,omitempty"`
	BrandColor    string        `json:"brand_color,omitempty"`
	DocsURL       string        `json:"docs_url,omitempty"`
	Version       string        `json:"version,omitempty"`

	Host     string   `json:"host,omitempty"`
	BasePath string   `json:"base_path,omitempty"`
	Schemes  []string `json:"schemes,omitempty"`
	// ViaConnection is true when the definition is the Power Platform's
	// runtime one (paths under /{connectionId}): a call goes through one of
	// the user's connections, not to the service directly.
	ViaConnection bool `json:"via_connection,omitempty"`
	// Capabilities from the Power Platform API reply (actions, triggers,
	// tabular, blob, ...).
	Capabilities []string `json:"capabilities,omitempty"`
	// PageRevision identifies the reference page's version (the Markdown
	// export's git_commit_id, else its updated_at): a cheap change signal.
	PageRevision string `json:"page_revision,omitempty"`
	// Sections are the reference page's free sections (Common errors, FAQ,
	// per-product notes...), in page order, as readable text.
	Sections []Section `json:"sections,omitempty"`

	AuthTypes   []AuthType   `json:"auth_types,omitempty"`
	Throttling  []Limit      `json:"throttling,omitempty"`
	Limits      []Limit      `json:"limits,omitempty"`
	KnownIssues []KnownIssue `json:"known_issues,omitempty"`

	Operations []*Operation `json:"operations,omitempty"`
	// Definitions are the named schemas (swagger "definitions"), raw JSON.
	Definitions map[string]json.RawMessage `json:"definitions,omitempty"`

	// Sources says where each group of fields came from, keyed by field
	// group: "definition" (operations, host, schemas), "site" (tier,
	// products, limits...), "description", "auth".
	Sources map[string]Source `json:"sources,omitempty"`
}

// Product is a product the connector is available in, with its class.
type Product struct {
	Name    string `json:"name"`              // one of Products
	Class   Tier   `json:"class,omitempty"`   // standard / premium in that product
	Regions string `json:"regions,omitempty"` // free text from the availability table
	// Exceptions are the regions or clouds where it is not available
	// ("except the following:" on the page), e.g. "US Government (GCC High)".
	Exceptions []string `json:"exceptions,omitempty"`
}

// Section is one free section of a reference page.
type Section struct {
	Title string `json:"title"`
	Level int    `json:"level,omitempty"` // heading level: 2 or 3
	Body  string `json:"body,omitempty"`  // plain text, paragraphs separated by blank lines; tables as aligned text
}

// IsZero reports whether nothing is known of the contact.
func (c Contact) IsZero() bool {
	return c.Name == "" && c.URL == "" && c.Email == "" && len(c.Links) == 0
}

// Link is a titled URL.
type Link struct {
	Title string `json:"title,omitempty"`
	URL   string `json:"url"`
}

// Contact is the connector's support contact.
type Contact struct {
	Name  string `json:"name,omitempty"`
	URL   string `json:"url,omitempty"`
	Email string `json:"email,omitempty"`
	// Links are further contact links beyond URL (support portals, forms).
	Links []Link `json:"links,omitempty"`
}

// AuthType is one way to create a connection.
type AuthType struct {
	ID          string `json:"id,omitempty"`   // e.g. "keyBasedAuth"; empty for the default
	Name        string `json:"name"`           // display name
	Type        string `json:"type,omitempty"` // apikey, basic, oauth2, none, ...
	Description string `json:"description,omitempty"`
	// In and ParamName locate an API key: In is "header" or "query".
	In         string            `json:"in,omitempty"`
	ParamName  string            `json:"param_name,omitempty"`
	Flow       string            `json:"flow,omitempty"` // oauth2 flow
	AuthURL    string            `json:"auth_url,omitempty"`
	TokenURL   string            `json:"token_url,omitempty"`
	Scopes     []string          `json:"scopes,omitempty"`
	Shareable  string            `json:"shareable,omitempty"`
	Applicable string            `json:"applicable,omitempty"`
	Parameters []ConnectionParam `json:"parameters,omitempty"`
}

// ConnectionParam is one field a maker fills when creating a connection.
type ConnectionParam struct {
	Name        string `json:"name"`
	DisplayName string `json:"display_name,omitempty"`
	Type        string `json:"type,omitempty"` // string, securestring, oauthSetting, ...
	Description string `json:"description,omitempty"`
	Required    bool   `json:"required,omitempty"`
}

// Limit is one throttling or general limit.
type Limit struct {
	Name    string `json:"name"`
	Value   string `json:"value"`             // "600" or free text
	Renewal string `json:"renewal,omitempty"` // renewal period for throttling limits
}

// KnownIssue is one known issue or limitation.
type KnownIssue struct {
	Summary     string `json:"summary"`
	Operations  string `json:"operations,omitempty"`
	Description string `json:"description,omitempty"`
	// OperationIDs are the ids of the connector's operations the issue
	// names (resolved from Operations or the text), sorted.
	OperationIDs []string `json:"operation_ids,omitempty"`
}

// Operation is an action or a trigger.
type Operation struct {
	ID          string        `json:"id"`   // operationId; unique within the connector
	Name        string        `json:"name"` // summary, the name shown to makers
	Description string        `json:"description,omitempty"`
	Kind        OperationKind `json:"kind"`
	TriggerType TriggerType   `json:"trigger_type,omitempty"`
	Method      string        `json:"method,omitempty"` // upper case
	Path        string        `json:"path,omitempty"`
	Visibility  Visibility    `json:"visibility,omitempty"`
	Deprecated  bool          `json:"deprecated,omitempty"`
	Preview     bool          `json:"preview,omitempty"`
	// ReplacedBy names the operation to use instead of a deprecated one.
	ReplacedBy string `json:"replaced_by,omitempty"`
	// ReplacedByConnector is the connector id of ReplacedBy when the
	// replacement lives in another connector (Teams -> Shifts); empty when
	// it is in the same connector.
	ReplacedByConnector string      `json:"replaced_by_connector,omitempty"`
	Tags                []string    `json:"tags,omitempty"`
	Consumes            []string    `json:"consumes,omitempty"`
	Produces            []string    `json:"produces,omitempty"`
	Parameters          []Parameter `json:"parameters,omitempty"`
	// Body is the request body schema (raw JSON, may hold $refs into
	// the connector's Definitions).
	Body      json.RawMessage `json:"body,omitempty"`
	Responses []Response      `json:"responses,omitempty"`
	// Security lists the security definition names this operation uses,
	// when it overrides the connector's.
	Security []string `json:"security,omitempty"`
	// Dynamic is true when parameters or outputs are dynamic
	// (x-ms-dynamic-values / -schema / -properties).
	Dynamic bool `json:"dynamic,omitempty"`
	// Capabilities from x-ms-capabilities, as raw JSON.
	Capabilities json.RawMessage `json:"capabilities,omitempty"`
	// Anchor is the operation's anchor on the reference page.
	Anchor string `json:"anchor,omitempty"`
	// From lists the kinds of source that describe this operation
	// ("api", "definition", "site"), sorted. A merge picks each part of
	// the operation from the highest-ranked of them (see the package
	// doc), so the result does not depend on the order of the merges.
	From []string `json:"from,omitempty"`
}

// Parameter is one operation parameter.
type Parameter struct {
	Name        string     `json:"name"`         // display name (x-ms-summary), else key
	Key         string     `json:"key"`          // the wire name
	In          string     `json:"in,omitempty"` // path, query, header, body, formData
	Required    bool       `json:"required"`
	Type        string     `json:"type,omitempty"` // string, integer, array of string, object, file, dynamic
	Format      string     `json:"format,omitempty"`
	Enum        []string   `json:"enum,omitempty"`
	Default     string     `json:"default,omitempty"` // JSON text of the default, empty when none
	Description string     `json:"description,omitempty"`
	Visibility  Visibility `json:"visibility,omitempty"`
	// Schema is the body parameter's schema (raw JSON), or the items
	// schema of an array parameter.
	Schema json.RawMessage `json:"schema,omitempty"`
	// Dynamic is true when values come from x-ms-dynamic-values.
	Dynamic bool `json:"dynamic,omitempty"`
	// URLEncoding is URLEncodingDouble when the definition asks the
	// value of a path parameter be URL-encoded twice
	// (x-ms-url-encoding: double, e.g. SharePoint's site address); empty
	// for the usual single encoding.
	URLEncoding string `json:"url_encoding,omitempty"`
}

// URLEncodingDouble is Parameter.URLEncoding for a path value encoded
// twice.
const URLEncodingDouble = "double"

// Response is one declared response.
type Response struct {
	Status      string          `json:"status"` // "200", "default"
	Description string          `json:"description,omitempty"`
	Schema      json.RawMessage `json:"schema,omitempty"`
	// Fields is what the reference site shows as a Returns table when no
	// schema is known (name, path, type, description).
	Fields []Field `json:"fields,omitempty"`
}

// Field is one row of a schema rendered as a table.
type Field struct {
	Name        string `json:"name"`
	Path        string `json:"path,omitempty"`
	Type        string `json:"type,omitempty"`
	Description string `json:"description,omitempty"`
}
