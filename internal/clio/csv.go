package clio

import (
	"encoding/csv"
	"io"
	"strings"
)

// CSVCell neutralises a cell a spreadsheet would run as a formula, as
// OWASP advises (CSV injection): a cell starting with = + - @, a tab or a
// carriage return, or with blanks followed by one of = + - @ (Excel and
// LibreOffice trim a leading tab, so "\t=1+1" runs as =1+1), gets a
// single quote in front. Nothing else changes.
func CSVCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	rest := strings.TrimLeft(s, " \t\r\n")
	if rest != s && rest != "" && strings.ContainsRune("=+-@", rune(rest[0])) {
		return "'" + s
	}
	return s
}

// WriteCSV writes a header and rows as CSV (RFC 4180), every cell through
// CSVCell.
func WriteCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	cells := make([]string, 0, len(header))
	for _, r := range rows {
		cells = cells[:0]
		for _, c := range r {
			cells = append(cells, CSVCell(c))
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
