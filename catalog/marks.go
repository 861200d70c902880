package catalog

// Marks are the words that set a connector apart, in the order both front
// ends print them (`connex show`'s title, the explorer's summary line):
// "Premium", "Preview", "Deprecated", each when it applies.
func (c *Connector) Marks() []string {
	var marks []string
	for _, m := range [...]struct {
		on   bool
		word string
	}{{c.Tier == TierPremium, "Premium"}, {c.Preview, "Preview"}, {c.Deprecated, "Deprecated"}} {
		if m.on {
			marks = append(marks, m.word)
		}
	}
	return marks
}
