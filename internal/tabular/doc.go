// Package tabular writes and reads the spreadsheets wenming exchanges with
// people: CSV and XLSX.
//
// Writing: NewWriter streams rows as CSV (UTF-8, with a byte-order mark by
// default so Excel on a Chinese Windows reads UTF-8 rather than GBK; text
// cells a spreadsheet would run as a formula are defused) or as XLSX (one
// sheet; numbers are numeric cells, text is never a formula). Every export
// — the CLI's, the gateway's and the console's — goes through it, so the
// formats cannot drift apart.
//
// Reading: Decode takes a file as uploaded and returns UTF-8 CSV text and
// what it found: an XLSX workbook (first sheet), or CSV in UTF-8 (with or
// without a byte-order mark) or GB18030, the superset of GBK that Chinese
// Excel saves by default. Detection, in order: a zip header is XLSX; a
// UTF-8 byte-order mark is UTF-8; text that is valid UTF-8 is UTF-8;
// anything else is decoded as GB18030.
package tabular
