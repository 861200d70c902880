// Package clio is connex's command-line output layer, after gh's
// iostreams and jsonfieldsflag: one place decides whether standard output
// is a terminal, how wide it is and whether colour is wanted (commands
// never look at the terminal themselves), and every output path goes
// through it:
//
//   - IOStreams: the streams; on a terminal, standard output is a
//     safeterm.Writer, so no escape sequence, bare CR, C1 control or bidi
//     override from connector text can act on the terminal, whatever the
//     format (table, show page, CSV, JSON).
//   - WriteJSON / EscapeJSON: JSON that escapes C0 and C1 controls, DEL and
//     bidi overrides (\u001b, \u009b, \u202e) even when piped.
//   - JSONFlags: --json [FIELDS] and --jq EXPR (gojq) on every command
//     that prints JSON.
//   - Table: a table fitted to the terminal on a terminal (ids keep their
//     width, names are cut), TSV when piped.
//   - CSVCell / WriteCSV: CSV with spreadsheet formulas neutralised.
//   - Exit codes: one table (ExitCodes), ErrNotFound for exit 3.
package clio
