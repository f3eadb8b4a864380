// Package doctest holds the test that runs the shell examples of README.md
// and docs/*.md against a fresh `wenming serve --demo`, so the docs cannot
// drift from the program. It has no code of its own.
package doctest
