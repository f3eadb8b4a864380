package main

import (
	"fmt"
	"os"
	"reflect"
	"strconv"
	"strings"

	"github.com/alecthomas/kong"
)

// envResolver gives flags their values from the environment variables
// named in their `env` tags. kong reads those itself, but it takes a set
// but empty variable as an empty value and refuses " 7 "; wenming has
// always treated an empty variable as unset (WENMING_DB= means the
// default) and trimmed numbers, and names the variable when its value is
// wrong. So take moves the names out of kong's hands (keeping them in
// the help text) and Resolve applies them.
type envResolver struct {
	envs map[*kong.Flag][]string
}

// take claims every flag's env names.
func (r *envResolver) take(app *kong.Application) {
	r.envs = map[*kong.Flag][]string{}
	_ = kong.Visit(app, func(n kong.Visitable, next kong.Next) error {
		if f, ok := n.(*kong.Flag); ok && len(f.Tag.Envs) > 0 {
			r.envs[f] = f.Tag.Envs
			f.Help += " (env " + strings.Join(f.Tag.Envs, ", ") + ")"
			f.Tag.Envs = nil
		}
		return next(nil)
	})
}

// Validate implements kong.Resolver.
func (r *envResolver) Validate(*kong.Application) error { return nil }

// Resolve implements kong.Resolver: the first non-empty variable wins.
func (r *envResolver) Resolve(_ *kong.Context, _ *kong.Path, f *kong.Flag) (any, error) {
	for _, name := range r.envs[f] {
		v := strings.TrimSpace(os.Getenv(name))
		if v == "" {
			continue
		}
		switch f.Target.Kind() {
		case reflect.Int, reflect.Int64:
			if f.Target.Type().String() == "time.Duration" {
				return v, nil
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, fmt.Errorf("%s=%q is not a whole number", name, os.Getenv(name))
			}
			return n, nil
		}
		return v, nil
	}
	return nil, nil
}
