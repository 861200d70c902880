package index

import (
	"slices"
	"strings"
	"testing"
)

func TestTextAnalyzerTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"SendEmailV2", []string{"sendemailv2", "send", "sendemail", "sendemailv", "email", "emailv", "emailv2", "v", "v2", "2"}},
		{"HTTPRequest", []string{"httprequest", "http", "request"}},
		{"getV2Items", []string{"getv2items", "get", "getv", "getv2", "v", "v2", "v2items", "2", "2items", "items"}},
		{"OAuth2Token", []string{"oauth2token", "o", "oauth", "oauth2", "auth", "auth2", "auth2token", "2", "2token", "token"}},
		{"sendgrid", []string{"sendgrid"}},
		{"send_email", []string{"send_email", "send", "sendemail", "email"}},
		{"Send an email (V2)", []string{"send", "an", "email", "v2", "v", "2"}},
		{"ÉtéCafé", []string{"étécafé", "été", "café"}},
		{"", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := analyzeTerms(tt.in)
			if !slices.Equal(got, tt.want) {
				t.Errorf("analyze(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

// The analyzers are registered with bleve and used by the mapping: the
// prefix analyzer gives every prefix of the whole word and of its parts.
func TestPrefixAnalyzerTokens(t *testing.T) {
	m, err := buildMapping()
	if err != nil {
		t.Fatal(err)
	}
	a := m.AnalyzerNamed(prefixAnalyzerName)
	if a == nil {
		t.Fatal("prefix analyzer not registered")
	}
	var got []string
	for _, tok := range a.Analyze([]byte("SendGrid")) {
		got = append(got, string(tok.Term))
	}
	want := []string{"s", "se", "sen", "send", "sendg", "sendgr", "sendgri", "sendgrid", "g", "gr", "gri", "grid"}
	if !slices.Equal(got, want) {
		t.Errorf("prefix analyzer\n got %q\nwant %q", got, want)
	}
	if m.AnalyzerNamed(textAnalyzerName) == nil {
		t.Error("text analyzer not registered")
	}
}

// Hostile input: a huge word with many parts is kept whole, not exploded.
func TestCamelFilterBounds(t *testing.T) {
	word := strings.Repeat("Ab", 1000)
	if got := analyzeTerms(word); len(got) != 1 || got[0] != strings.ToLower(word) {
		t.Errorf("a 2,000-part word gave %d tokens, want the whole word only", len(got))
	}
	// Invalid UTF-8 and control characters must not panic.
	_ = analyzeTerms("\xff\xfeSend\x00Email\x1b[2J")
}

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in   string
		want string // whole[:parts][+prefix][?optional] per word
	}{
		{"send email", "send email+"},
		{"send email ", "send email"},
		{"Create a record", "create a? record+"},
		{"the", "the+"},
		{"a b", "a? b+"},
		{"SendEmailV2", "sendemailv2:send,email,v,2+"},
		{"  ", ""},
	}
	for _, tt := range tests {
		var parts []string
		for _, w := range parseQuery(tt.in) {
			s := w.whole
			if len(w.parts) > 0 {
				s += ":" + strings.Join(w.parts, ",")
			}
			if w.optional {
				s += "?"
			}
			if w.prefix {
				s += "+"
			}
			parts = append(parts, s)
		}
		if got := strings.Join(parts, " "); got != tt.want {
			t.Errorf("parseQuery(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHighlightSpans(t *testing.T) {
	tests := []struct {
		text  string
		terms []string
		want  string
	}{
		{"Send an email (V2)", []string{"send", "email"}, "[Send] an [email] (V2)"},
		{"SendEmailV2", []string{"email"}, "Send[Email]V2"},
		{"SendEmailV2", []string{"sendemail"}, "[SendEmail]V2"},
		{"SendGrid", []string{"sen"}, "[Sen]dGrid"},
		{"Resend", []string{"send"}, "Resend"}, // not at a word or part start
		{"", []string{"x"}, ""},
		{"Été café", []string{"été"}, "[Été] café"},
	}
	for _, tt := range tests {
		var b strings.Builder
		last := 0
		for _, sp := range HighlightSpans(tt.text, tt.terms) {
			b.WriteString(tt.text[last:sp[0]] + "[" + tt.text[sp[0]:sp[1]] + "]")
			last = sp[1]
		}
		b.WriteString(tt.text[last:])
		if got := b.String(); got != tt.want {
			t.Errorf("HighlightSpans(%q, %q) = %q, want %q", tt.text, tt.terms, got, tt.want)
		}
	}
}
