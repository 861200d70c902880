package index

type filterCase struct {
	name   string
	q      Query
	total  uint64
	hits   string // hitIDs joined by spaces
	facets string // facetString
}

func boolPtr(b bool) *bool { return &b }

func filterCases() []filterCase {
	return []filterCase{
		{name: "default", q: Query{}, total: 11,
			hits:   "c:acmemail c:bravodocs c:postboxrelay acmemail/SendEmailV2 postboxrelay/SendMessage acmemail/OnNewEmail bravodocs/getV2Items bravodocs/OAuth2Token bravodocs/HTTPRequest bravodocs/OnFileCreated postboxrelay/OnBounce",
			facets: "kind=connector:3,action:5,trigger:3 tier=standard:8,premium:3 product=Logic Apps:6,Power Automate:11,Power Apps:8,Copilot Studio:8 publisher_kind=microsoft:3,certified:3,independent:5,custom:0 preview=true:5,false:6 deprecated=true:4,false:11"},
		{name: "kind trigger", q: Query{Kinds: []string{KindTrigger}}, total: 3,
			hits:   "acmemail/OnNewEmail bravodocs/OnFileCreated postboxrelay/OnBounce",
			facets: "kind=connector:3,action:5,trigger:3 tier=standard:2,premium:1 product=Logic Apps:2,Power Automate:3,Power Apps:2,Copilot Studio:2 publisher_kind=microsoft:1,certified:1,independent:1,custom:0 preview=true:1,false:2 deprecated=true:0,false:3"},
		{name: "kinds connector+trigger", q: Query{Kinds: []string{"Connector", "trigger"}}, total: 6,
			hits:   "c:acmemail c:bravodocs c:postboxrelay acmemail/OnNewEmail bravodocs/OnFileCreated postboxrelay/OnBounce",
			facets: "kind=connector:3,action:5,trigger:3 tier=standard:4,premium:2 product=Logic Apps:4,Power Automate:6,Power Apps:4,Copilot Studio:4 publisher_kind=microsoft:2,certified:2,independent:2,custom:0 preview=true:2,false:4 deprecated=true:1,false:6"},
		{name: "tier premium", q: Query{Tier: "premium"}, total: 3,
			hits:   "c:acmemail acmemail/SendEmailV2 acmemail/OnNewEmail",
			facets: "kind=connector:1,action:1,trigger:1 tier=standard:8,premium:3 product=Logic Apps:3,Power Automate:3,Power Apps:0,Copilot Studio:0 publisher_kind=microsoft:0,certified:3,independent:0,custom:0 preview=true:0,false:3 deprecated=true:1,false:3"},
		{name: "tier standard", q: Query{Tier: "Standard"}, total: 8,
			hits:   "c:bravodocs c:postboxrelay postboxrelay/SendMessage bravodocs/getV2Items bravodocs/OAuth2Token bravodocs/HTTPRequest bravodocs/OnFileCreated postboxrelay/OnBounce",
			facets: "kind=connector:2,action:4,trigger:2 tier=standard:8,premium:3 product=Logic Apps:3,Power Automate:8,Power Apps:8,Copilot Studio:8 publisher_kind=microsoft:3,certified:0,independent:5,custom:0 preview=true:5,false:3 deprecated=true:0,false:8"},
		{name: "product logic apps", q: Query{Products: []string{"Logic Apps"}}, total: 6,
			hits:   "c:acmemail c:postboxrelay acmemail/SendEmailV2 postboxrelay/SendMessage acmemail/OnNewEmail postboxrelay/OnBounce",
			facets: "kind=connector:2,action:2,trigger:2 tier=standard:3,premium:3 product=Logic Apps:6,Power Automate:6,Power Apps:3,Copilot Studio:3 publisher_kind=microsoft:3,certified:3,independent:0,custom:0 preview=true:0,false:6 deprecated=true:4,false:6"},
		{name: "products all listed", q: Query{Products: []string{"logicapps", "Power Automate"}}, total: 6,
			hits:   "c:acmemail c:postboxrelay acmemail/SendEmailV2 postboxrelay/SendMessage acmemail/OnNewEmail postboxrelay/OnBounce",
			facets: "kind=connector:2,action:2,trigger:2 tier=standard:3,premium:3 product=Logic Apps:6,Power Automate:6,Power Apps:3,Copilot Studio:3 publisher_kind=microsoft:3,certified:3,independent:0,custom:0 preview=true:0,false:6 deprecated=true:1,false:6"},
		{name: "publisher kind", q: Query{Publisher: "independent"}, total: 5,
			hits:   "c:bravodocs bravodocs/getV2Items bravodocs/OAuth2Token bravodocs/HTTPRequest bravodocs/OnFileCreated",
			facets: "kind=connector:1,action:3,trigger:1 tier=standard:5,premium:0 product=Logic Apps:0,Power Automate:5,Power Apps:5,Copilot Studio:5 publisher_kind=microsoft:3,certified:3,independent:5,custom:0 preview=true:5,false:0 deprecated=true:0,false:5"},
		{name: "publisher name", q: Query{Publisher: "acme"}, total: 3,
			hits:   "c:acmemail acmemail/SendEmailV2 acmemail/OnNewEmail",
			facets: "kind=connector:1,action:1,trigger:1 tier=standard:0,premium:3 product=Logic Apps:3,Power Automate:3,Power Apps:0,Copilot Studio:0 publisher_kind=microsoft:0,certified:3,independent:0,custom:0 preview=true:0,false:3 deprecated=true:1,false:3"},
		{name: "publisher name prefix words", q: Query{Publisher: "bra lab"}, total: 5,
			hits:   "c:bravodocs bravodocs/getV2Items bravodocs/OAuth2Token bravodocs/HTTPRequest bravodocs/OnFileCreated",
			facets: "kind=connector:1,action:3,trigger:1 tier=standard:5,premium:0 product=Logic Apps:0,Power Automate:5,Power Apps:5,Copilot Studio:5 publisher_kind=microsoft:0,certified:0,independent:5,custom:0 preview=true:5,false:0 deprecated=true:0,false:5"},
		{name: "publisher microsoft", q: Query{Publisher: "microsoft"}, total: 3,
			hits:   "c:postboxrelay postboxrelay/SendMessage postboxrelay/OnBounce",
			facets: "kind=connector:1,action:1,trigger:1 tier=standard:3,premium:0 product=Logic Apps:3,Power Automate:3,Power Apps:3,Copilot Studio:3 publisher_kind=microsoft:3,certified:0,independent:0,custom:0 preview=true:0,false:3 deprecated=true:0,false:3"},
		{name: "preview only", q: Query{Preview: boolPtr(true)}, total: 5,
			hits:   "c:bravodocs bravodocs/getV2Items bravodocs/OAuth2Token bravodocs/HTTPRequest bravodocs/OnFileCreated",
			facets: "kind=connector:1,action:3,trigger:1 tier=standard:5,premium:0 product=Logic Apps:0,Power Automate:5,Power Apps:5,Copilot Studio:5 publisher_kind=microsoft:0,certified:0,independent:5,custom:0 preview=true:5,false:6 deprecated=true:0,false:5"},
		{name: "no preview", q: Query{Preview: boolPtr(false)}, total: 6,
			hits:   "c:acmemail c:postboxrelay acmemail/SendEmailV2 postboxrelay/SendMessage acmemail/OnNewEmail postboxrelay/OnBounce",
			facets: "kind=connector:2,action:2,trigger:2 tier=standard:3,premium:3 product=Logic Apps:6,Power Automate:6,Power Apps:3,Copilot Studio:3 publisher_kind=microsoft:3,certified:3,independent:0,custom:0 preview=true:5,false:6 deprecated=true:4,false:6"},
		{name: "deprecated include", q: Query{Deprecated: DeprecatedInclude}, total: 15,
			hits:   "c:acmemail c:bravodocs c:charlieold c:postboxrelay acmemail/SendEmailV2 postboxrelay/SendMessage acmemail/SendEmail acmemail/OnNewEmail bravodocs/getV2Items bravodocs/OAuth2Token bravodocs/HTTPRequest bravodocs/OnFileCreated charlieold/CreateRecord charlieold/ListRecords postboxrelay/OnBounce",
			facets: "kind=connector:4,action:8,trigger:3 tier=standard:8,premium:4,unknown:3 product=Logic Apps:10,Power Automate:12,Power Apps:8,Copilot Studio:8 publisher_kind=microsoft:3,certified:4,independent:5,custom:3 preview=true:5,false:10 deprecated=true:4,false:11"},
		{name: "deprecated only", q: Query{Deprecated: DeprecatedOnly}, total: 4,
			hits:   "c:charlieold acmemail/SendEmail charlieold/CreateRecord charlieold/ListRecords",
			facets: "kind=connector:1,action:3,trigger:0 tier=standard:0,premium:1,unknown:3 product=Logic Apps:4,Power Automate:1,Power Apps:0,Copilot Studio:0 publisher_kind=microsoft:0,certified:1,independent:0,custom:3 preview=true:0,false:4 deprecated=true:4,false:11"},
		{name: "internal", q: Query{Internal: true}, total: 12,
			hits:   "c:acmemail c:bravodocs c:postboxrelay acmemail/SendEmailV2 postboxrelay/SendMessage acmemail/OnNewEmail bravodocs/getV2Items bravodocs/OAuth2Token bravodocs/HTTPRequest bravodocs/OnFileCreated postboxrelay/OnBounce acmemail/GetMailboxInternal",
			facets: "kind=connector:3,action:6,trigger:3 tier=standard:8,premium:4 product=Logic Apps:7,Power Automate:12,Power Apps:8,Copilot Studio:8 publisher_kind=microsoft:3,certified:4,independent:5,custom:0 preview=true:5,false:7 deprecated=true:4,false:12"},
		{name: "connector", q: Query{Connector: "acmemail"}, total: 2,
			hits:   "acmemail/SendEmailV2 acmemail/OnNewEmail",
			facets: "kind=connector:0,action:1,trigger:1 tier=standard:0,premium:2 product=Logic Apps:2,Power Automate:2,Power Apps:0,Copilot Studio:0 publisher_kind=microsoft:0,certified:2,independent:0,custom:0 preview=true:0,false:2 deprecated=true:1,false:2"},
		{name: "connector all", q: Query{Connector: "ACMEMAIL", Deprecated: DeprecatedInclude, Internal: true}, total: 4,
			hits:   "acmemail/SendEmailV2 acmemail/SendEmail acmemail/OnNewEmail acmemail/GetMailboxInternal",
			facets: "kind=connector:0,action:3,trigger:1 tier=standard:0,premium:4 product=Logic Apps:4,Power Automate:4,Power Apps:0,Copilot Studio:0 publisher_kind=microsoft:0,certified:4,independent:0,custom:0 preview=true:0,false:4 deprecated=true:1,false:3"},
		{name: "unknown connector", q: Query{Connector: "nosuch"}, total: 0,
			hits:   "",
			facets: "kind=connector:0,action:0,trigger:0 tier=standard:0,premium:0 product=Logic Apps:0,Power Automate:0,Power Apps:0,Copilot Studio:0 publisher_kind=microsoft:0,certified:0,independent:0,custom:0 preview=true:0,false:0 deprecated=true:0,false:0"},
		{name: "text", q: Query{Text: "send"}, total: 3,
			hits:   "postboxrelay/SendMessage acmemail/SendEmailV2 bravodocs/HTTPRequest",
			facets: "kind=connector:0,action:3,trigger:0 tier=standard:2,premium:1 product=Logic Apps:2,Power Automate:3,Power Apps:2,Copilot Studio:2 publisher_kind=microsoft:1,certified:1,independent:1,custom:0 preview=true:1,false:2 deprecated=true:1,false:3"},
		{name: "text and filters", q: Query{Text: "send", Kinds: []string{KindAction}, Tier: "standard"}, total: 2,
			hits:   "postboxrelay/SendMessage bravodocs/HTTPRequest",
			facets: "kind=connector:0,action:2,trigger:0 tier=standard:2,premium:1 product=Logic Apps:1,Power Automate:2,Power Apps:2,Copilot Studio:2 publisher_kind=microsoft:1,certified:0,independent:1,custom:0 preview=true:1,false:1 deprecated=true:0,false:2"},
		{name: "combined", q: Query{Kinds: []string{KindAction}, Products: []string{"Power Apps"}, Preview: boolPtr(true)}, total: 3,
			hits:   "bravodocs/getV2Items bravodocs/OAuth2Token bravodocs/HTTPRequest",
			facets: "kind=connector:1,action:3,trigger:1 tier=standard:3,premium:0 product=Logic Apps:0,Power Automate:3,Power Apps:3,Copilot Studio:3 publisher_kind=microsoft:0,certified:0,independent:3,custom:0 preview=true:3,false:1 deprecated=true:0,false:3"},
	}
}
