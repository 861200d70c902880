package callform

import (
	"fmt"
	"testing"
)

var goldenSizes = [][2]int{{80, 24}, {120, 40}}

func TestGoldenScreens(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, conn, op string
		fd             fakeDo
		run            func(m *Model)
	}{
		{"form_create_task", "sampletasks", "CreateTaskV2", fakeDo{}, func(m *Model) {}},
		{"form_weather", "sampleweather", "GetCurrentWeather", fakeDo{}, func(m *Model) { typeText(m, "Lisbon") }},
		{"preview_weather", "sampleweather", "GetCurrentWeather", fakeDo{}, func(m *Model) {
			typeText(m, "Lisbon")
			press(m, "down", "right", "ctrl+p")
		}},
		{"validation_error", "sampleweather", "GetCurrentWeather", fakeDo{}, func(m *Model) { press(m, "ctrl+s") }},
		{"response_weather", "sampleweather", "GetCurrentWeather",
			fakeDo{body: `{"city":"Lisbon","temperature":21.5,"conditions":"clear","wind":{"speed":3.2,"direction":"NW"}}`},
			func(m *Model) {
				typeText(m, "Lisbon")
				press(m, "ctrl+s")
			}},
		{"response_headers", "sampletasks", "CreateTaskV2",
			fakeDo{status: 201, body: `{"id":"t-42","title":"Write the report"}`},
			func(m *Model) { press(m, "ctrl+s", "h", "/"); typeText(m, "title"); press(m, "enter") }},
	}
	for _, c := range cases {
		for _, sz := range goldenSizes {
			name := fmt.Sprintf("%s_%dx%d", c.name, sz[0], sz[1])
			t.Run(name, func(t *testing.T) {
				fd := c.fd
				m := newTestForm(t, testOptions(t, c.conn, c.op, &fd), sz[0], sz[1])
				c.run(m)
				checkGolden(t, name, screen(m))
			})
		}
	}
}
