package workcal

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"go.yaml.in/yaml/v3"
)

// calendars holds the schedules shipped with the binary; one file per
// country and year (cn-2026.yaml), all loaded by Embedded.
//
//go:embed calendars/*.yaml
var calendars embed.FS

// file is the top level of a calendar file.
type file struct {
	Years []Year `yaml:"years"`
}

// LoadYAML reads one calendar document (the format is in the package doc)
// and builds a calendar for loc. Unknown keys are errors, so a misspelt
// "workday:" cannot silently drop the make-up days; so is a file with no
// years.
func LoadYAML(loc *time.Location, r io.Reader) (*Calendar, error) {
	years, err := decode(r)
	if err != nil {
		return nil, fmt.Errorf("workcal: %w", err)
	}
	return New(loc, years...)
}

// LoadFiles reads several calendar files, typically one per year, into one
// calendar. Errors name the file; a year defined in two files is an error.
func LoadFiles(loc *time.Location, paths ...string) (*Calendar, error) {
	if len(paths) == 0 {
		return nil, errors.New("workcal: no calendar files given")
	}
	return load(loc, paths, func(p string) (io.ReadCloser, error) { return os.Open(p) })
}

// Embedded returns the calendar built from the schedules compiled into the
// binary (calendars/*.yaml in this package), for loc.
func Embedded(loc *time.Location) (*Calendar, error) {
	paths, err := fs.Glob(calendars, "calendars/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("workcal: %w", err)
	}
	return load(loc, paths, func(p string) (io.ReadCloser, error) { return calendars.Open(p) })
}

// load decodes each path in turn and builds one calendar, remembering which
// file each year came from so errors can say.
func load(loc *time.Location, paths []string, open func(string) (io.ReadCloser, error)) (*Calendar, error) {
	var years []Year
	var origin []string
	for _, p := range paths {
		f, err := open(p)
		if err != nil {
			return nil, fmt.Errorf("workcal: %w", err)
		}
		ys, err := decode(f)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("workcal: %s: %w", p, err)
		}
		for _, y := range ys {
			years = append(years, y)
			origin = append(origin, p)
		}
	}
	return build(loc, years, origin)
}

// decode reads exactly one YAML document holding at least one year.
func decode(r io.Reader) ([]Year, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty calendar file")
		}
		return nil, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("more than one YAML document; list every year under one years: key")
	}
	if len(f.Years) == 0 {
		return nil, errors.New("no years in calendar file")
	}
	return f.Years, nil
}
