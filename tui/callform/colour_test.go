package callform

import (
	"reflect"
	"strings"
	"testing"
)

func markPalette() palette {
	p := func(n string) painter { return painter{pre: "<" + n + ">", post: "</" + n + ">"} }
	return palette{key: p("k"), str: p("s"), num: p("n"), lit: p("l"), punct: p("p"), tag: p("t"), attr: p("a"), comment: p("c")}
}

func TestColourJSON(t *testing.T) {
	t.Parallel()
	text := prettyBody([]byte(`{"a":1,"b":[true,null,"x"],"c":{"d":"e"}}`), "application/json")
	got := colourJSON(text, markPalette())
	want := []string{
		"<p>{</p>",
		`  <k>"a"</k><p>:</p> <n>1</n><p>,</p>`,
		`  <k>"b"</k><p>:</p> <p>[</p>`,
		`    <l>true</l><p>,</p>`,
		`    <l>null</l><p>,</p>`,
		`    <s>"x"</s>`,
		`  <p>]</p><p>,</p>`,
		`  <k>"c"</k><p>:</p> <p>{</p>`,
		`    <k>"d"</k><p>:</p> <s>"e"</s>`,
		`  <p>}</p>`,
		"<p>}</p>",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if colourJSON(`{"a":`, markPalette()) != nil || colourJSON(`{} x`, markPalette()) != nil {
		t.Fatal("broken JSON was coloured")
	}
}

func TestColourXML(t *testing.T) {
	t.Parallel()
	text := "<?xml version=\"1.0\"?>\n<a href=\"x\">hi<!-- c\nd --></a>"
	got := colourXML(text, markPalette())
	want := []string{
		`<t><?xml</t> <a>version</a><p>=</p><s>"1.0"</s><t>?></t>`,
		`<t><a</t> <a>href</a><p>=</p><s>"x"</s><t>></t>hi<c><!-- c</c>`,
		`<c>d --></c><t></a></t>`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
