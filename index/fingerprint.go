package index

// Fingerprint identifies the catalogue content the index was built from:
// what OpenOrBuild compares with the catalogue. A caller that recorded it
// next to a snapshot's checksum can later pair the two with Open alone,
// without decoding the whole catalogue to recompute it.
func (ix *Index) Fingerprint() uint32 { return ix.tab.fingerprint }
