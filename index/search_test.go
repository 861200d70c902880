package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Text search on the invented catalogue: camelCase ids, prefixes of the
// word being typed, typos, stop words.
func TestSearchText(t *testing.T) {
	ix, err := NewMemory(testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	tests := []struct {
		text string
		top  []string // the first hits, in order
	}{
		{"SendEmailV2", []string{"acmemail/SendEmailV2"}},
		{"sendemailv2", []string{"acmemail/SendEmailV2"}},
		{"sendemail", []string{"acmemail/SendEmailV2"}},
		{"send email", []string{"acmemail/SendEmailV2"}},
		{"emailv2", []string{"acmemail/SendEmailV2"}},
		{"HTTPRequest", []string{"bravodocs/HTTPRequest"}},
		{"http request", []string{"bravodocs/HTTPRequest"}},
		{"oauth", []string{"bravodocs/OAuth2Token"}},
		{"v2items", []string{"bravodocs/getV2Items"}},
		{"EmailSend", []string{"acmemail/SendEmailV2"}}, // parts in any order
		{"bra", []string{"c:bravodocs"}},                // prefix of a connector name
		{"brav", []string{"c:bravodocs"}},
		{"bravo", []string{"c:bravodocs"}},
		{"postbx", []string{"c:postboxrelay"}},       // typo, fuzziness 1
		{"postobx relya", nil},                       // two typos in two words: no "relya" prefix within 1
		{"pstbox relay", []string{"c:postboxrelay"}}, // one typo per word
		{"send an http", []string{"bravodocs/HTTPRequest"}},
		{"zzzz", nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			res := mustSearch(t, ix, Query{Text: tt.text})
			got := hitIDs(res.Hits)
			if len(tt.top) == 0 {
				if tt.text == "zzzz" && len(got) != 0 {
					t.Errorf("%q = %v, want nothing", tt.text, got)
				}
				return
			}
			if len(got) < len(tt.top) || !slices.Equal(got[:len(tt.top)], tt.top) {
				t.Errorf("%q = %v, want first %v", tt.text, got, tt.top)
			}
		})
	}
}

// Every prefix of a connector's name, from the first letter, finds it.
func TestSearchEveryPrefix(t *testing.T) {
	ix, err := NewMemory(testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, p := range prefixesOf("postbox") {
		res := mustSearch(t, ix, Query{Text: p, Kinds: []string{KindConnector}})
		if got := hitIDs(res.Hits); len(got) == 0 || got[0] != "c:postboxrelay" {
			t.Errorf("%q = %v, want c:postboxrelay first", p, got)
		}
	}
}

func TestSearchHighlight(t *testing.T) {
	ix, err := NewMemory(testCatalog())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	tests := []struct {
		text string
		hit  string
		want string // field=terms;...
	}{
		{"send ema", "acmemail/SendEmailV2", "name=send,ema;operation=send"},
		{"send emai", "acmemail/SendEmailV2", "name=send,emai;operation=send,emai"},
		{"sendemail", "acmemail/SendEmailV2", "operation=sendemail"},
		{"acme", "c:acmemail", "name=acme;publisher=acme"},
		{"acme", "acmemail/SendEmailV2", "connector=acme;publisher=acme"},
		{"postbx", "c:postboxrelay", "name=postb,postbo,postbox"}, // near prefixes, 1 edit at 6 letters
	}
	for _, tt := range tests {
		res := mustSearch(t, ix, Query{Text: tt.text, Highlight: true, Limit: 50})
		found := false
		for i, h := range res.Hits {
			if hitIDs(res.Hits)[i] != tt.hit {
				continue
			}
			found = true
			if got := matchString(h.Matches); got != tt.want {
				t.Errorf("%q %s: matches %s, want %s", tt.text, tt.hit, got, tt.want)
			}
		}
		if !found {
			t.Errorf("%q: %s not found in %v", tt.text, tt.hit, hitIDs(res.Hits))
		}
	}
	// Without Highlight, no matches.
	for _, h := range mustSearch(t, ix, Query{Text: "send"}).Hits {
		if h.Matches != nil {
			t.Errorf("matches without Highlight: %v", h.Matches)
		}
	}
}

func matchString(m map[string][]string) string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%s", k, strings.Join(m[k], ",")))
	}
	return strings.Join(parts, ";")
}

// Search is safe for concurrent use (run with -race).
func TestSearchConcurrent(t *testing.T) {
	_, ix := buildTest(t, testCatalog())
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				res, err := ix.Search(context.Background(), Query{Text: "send", Facets: true, Highlight: true})
				if err != nil {
					t.Errorf("concurrent search: %v", err)
					return
				}
				if res.Total != 3 {
					t.Errorf("concurrent search: total %d, want 3", res.Total)
					return
				}
			}
		}()
	}
	wg.Wait()
}
