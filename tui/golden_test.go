package tui

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/connex-dev/connex/catalog"
)

var goldenSizes = [][2]int{{80, 24}, {120, 40}}

func TestGoldenScreens(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		run  func(m *Model)
	}{
		{"search_results", func(m *Model) { typeText(m, "task") }},
		{"search_all", func(m *Model) {}},
		{"connector", func(m *Model) {
			typeText(m, "sample orders")
			press(m, "enter")
		}},
		{"connector_ops", func(m *Model) {
			typeText(m, "sample tasks")
			press(m, "enter", "tab")
		}},
		{"operation", func(m *Model) {
			typeText(m, "list tasks")
			press(m, "enter")
		}},
		{"operation_body", func(m *Model) {
			typeText(m, "create an order")
			press(m, "enter")
		}},
		{"help", func(m *Model) { press(m, "tab", "?") }},
		{"help_operation", func(m *Model) {
			typeText(m, "list tasks")
			press(m, "enter", "?")
		}},
		{"empty", func(m *Model) { typeText(m, "zzzz") }},
		{"filters", func(m *Model) { press(m, "tab", "tab") }},
	}
	for _, c := range cases {
		for _, sz := range goldenSizes {
			name := fmt.Sprintf("%s_%dx%d", c.name, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				m := newTestModel(t, catalog.Sample(), sz[0], sz[1])
				c.run(m)
				checkGolden(t, name, screen(m))
			})
		}
	}
}

func TestGoldenErrorStates(t *testing.T) {
	t.Parallel()
	for _, sz := range goldenSizes {
		name := fmt.Sprintf("load_error_%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			m := New(Options{
				LoadCatalog: func(context.Context) (*catalog.Catalog, Searcher, error) {
					return nil, nil, errors.New("load catalogue /data/catalog.snap: snapshot is corrupt: unexpected EOF")
				},
				Now: func() time.Time { return fixedNow },
			})
			send(m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			settle(m, m.Init())
			checkGolden(t, name, screen(m))
		})
		name = fmt.Sprintf("search_error_%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			opts := testOptions(catalog.Sample(), nil)
			opts.Searcher = errSearcher{}
			m := New(opts)
			settle(m, m.Init())
			send(m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			checkGolden(t, name, screen(m))
		})
		name = fmt.Sprintf("loading_%dx%d", sz[0], sz[1])
		t.Run(name, func(t *testing.T) {
			m := New(Options{
				LoadCatalog: func(context.Context) (*catalog.Catalog, Searcher, error) { return nil, nil, nil },
				Now:         func() time.Time { return fixedNow },
			})
			send(m, tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
			checkGolden(t, name, screen(m))
		})
	}
}
