package catalog

// Stats are the catalogue's counts. The JSON names are stable (scripts
// read `connex stats --json`); every group lists all its keys, zeros
// included.
type Stats struct {
	Connectors int `json:"connectors"`
	Operations int `json:"operations"`
	Actions    int `json:"actions"`
	Triggers   int `json:"triggers"`
	Parameters int `json:"parameters"`
	// Connectors by licence tier, publisher kind, product and source.
	ByTier          TierCounts          `json:"by_tier"`
	ByPublisherKind PublisherKindCounts `json:"by_publisher_kind"`
	ByProduct       ProductCounts       `json:"by_product"`
	// Preview and Deprecated count connectors so marked.
	Preview    int          `json:"preview"`
	Deprecated int          `json:"deprecated"`
	BySource   SourceCounts `json:"by_source"`
}

// TierCounts counts connectors by tier; Unknown when no source says.
type TierCounts struct {
	Standard int `json:"standard"`
	Premium  int `json:"premium"`
	Unknown  int `json:"unknown"`
}

// PublisherKindCounts counts connectors by publisher kind.
type PublisherKindCounts struct {
	Microsoft   int `json:"microsoft"`
	Certified   int `json:"certified"`
	Independent int `json:"independent"`
	Custom      int `json:"custom"`
	Unknown     int `json:"unknown"`
}

// ProductCounts counts connectors available in each product (a connector
// counts once in each of its products); None have no product listed.
type ProductCounts struct {
	LogicApps     int `json:"logic_apps"`
	PowerAutomate int `json:"power_automate"`
	PowerApps     int `json:"power_apps"`
	CopilotStudio int `json:"copilot_studio"`
	None          int `json:"none"`
}

// SourceCounts counts connectors each kind of source describes (a
// connector merged from three sources counts in three).
type SourceCounts struct {
	Site       int `json:"site"`
	List       int `json:"list"` // the site's connector list, imported from a file
	API        int `json:"api"`
	Definition int `json:"definition"`
	Sample     int `json:"sample"`
}

// Stats counts connectors, operations and parameters, and connectors by
// tier, publisher kind, product, flag and source.
func (c *Catalog) Stats() Stats {
	var s Stats
	s.Connectors = len(c.Connectors)
	for _, conn := range c.Connectors {
		for _, op := range conn.Operations {
			s.Operations++
			if op.Kind == KindTrigger {
				s.Triggers++
			} else {
				s.Actions++
			}
			s.Parameters += len(op.Parameters)
		}
		switch conn.Tier {
		case TierStandard:
			s.ByTier.Standard++
		case TierPremium:
			s.ByTier.Premium++
		default:
			s.ByTier.Unknown++
		}
		switch conn.PublisherKind {
		case PublisherMicrosoft:
			s.ByPublisherKind.Microsoft++
		case PublisherCertified:
			s.ByPublisherKind.Certified++
		case PublisherIndependent:
			s.ByPublisherKind.Independent++
		case PublisherCustom:
			s.ByPublisherKind.Custom++
		default:
			s.ByPublisherKind.Unknown++
		}
		seen := map[string]bool{}
		for _, p := range conn.Products {
			if name, ok := ProductNamed(p.Name); ok && !seen[name] {
				seen[name] = true
				switch name {
				case ProductLogicApps:
					s.ByProduct.LogicApps++
				case ProductPowerAutomate:
					s.ByProduct.PowerAutomate++
				case ProductPowerApps:
					s.ByProduct.PowerApps++
				case ProductCopilotStudio:
					s.ByProduct.CopilotStudio++
				}
			}
		}
		if len(seen) == 0 {
			s.ByProduct.None++
		}
		if conn.Preview {
			s.Preview++
		}
		if conn.Deprecated {
			s.Deprecated++
		}
		for _, k := range conn.kinds() {
			switch k {
			case SourceSite:
				s.BySource.Site++
			case SourceList:
				s.BySource.List++
			case SourceAPI:
				s.BySource.API++
			case SourceDefinition:
				s.BySource.Definition++
			case SourceSample:
				s.BySource.Sample++
			}
		}
	}
	return s
}
