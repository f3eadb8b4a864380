// Command openapi merges the per-package Swagger 2.0 files that
// protoc-gen-openapiv2 writes into gen/openapi into one OpenAPI 3.0
// document for the whole API, with a title, a description and the bearer
// security scheme, and writes it where internal/apidoc embeds it.
// scripts/gen.sh runs it after generating; CI diffs its output.
//
//	go run ./scripts/openapi gen/openapi internal/apidoc/openapi.json
//
// The server fills in info.version from the running build.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
)

const description = `wenming runs a city's civility campaign: etiquette quiz contests at
community kiosks (quiz), service-satisfaction ratings with case follow-up
(feedback), civility-index inspections with supervision and the annual
assessment (civindex), resident questionnaires (survey) and staff
sign-in sessions (account).

Every call except the public rating form needs an API key, sent as
` + "`Authorization: Bearer <key>`" + ` (press **Authorize** and paste the key alone).
Keys are made with ` + "`wenming apikey create`" + `; ` + "`serve --demo`" + ` prints one per role.
Writes take a ` + "`requestId`" + `: sending it again returns the first result.
Errors are google.rpc.Status JSON; bad input is HTTP 400 with a BadRequest
detail naming every offending field.`

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: openapi GEN_OPENAPI_DIR OUT_FILE")
		os.Exit(2)
	}
	out, err := merge(os.Args[1])
	if err == nil {
		err = os.WriteFile(os.Args[2], out, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "openapi:", err)
		os.Exit(1)
	}
}

// pkgOf turns wenming_feedback_v1.swagger.json into "feedback".
var pkgOf = regexp.MustCompile(`^wenming_([a-z]+)_v\d+\.swagger\.json$`)

func merge(dir string) ([]byte, error) {
	files, err := filepath.Glob(filepath.Join(dir, "wenming_*.swagger.json"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no wenming_*.swagger.json in %s (%v)", dir, err)
	}
	sort.Strings(files)
	merged := openapi2.T{Swagger: "2.0", Paths: map[string]*openapi2.PathItem{}, Definitions: map[string]*openapi2.SchemaRef{}}
	for _, f := range files {
		m := pkgOf.FindStringSubmatch(filepath.Base(f))
		if m == nil {
			return nil, fmt.Errorf("%s: unexpected file name", f)
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		// Packages define messages of the same name (Dimension, Level);
		// name each package's definitions after it. google.rpc.Status and
		// protobuf.Any are the same everywhere and keep their names.
		var doc2 openapi2.T
		if err := json.Unmarshal(qualify(raw, m[1]), &doc2); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		for p, item := range doc2.Paths {
			if _, dup := merged.Paths[p]; dup {
				return nil, fmt.Errorf("%s: path %s is also in another package", f, p)
			}
			merged.Paths[p] = item
		}
		for name, s := range doc2.Definitions {
			if old, dup := merged.Definitions[name]; dup && !sameJSON(old, s) {
				return nil, fmt.Errorf("%s: definition %s differs from another package's", f, name)
			}
			merged.Definitions[name] = s
		}
		merged.Tags = append(merged.Tags, doc2.Tags...)
		merged.Consumes, merged.Produces = doc2.Consumes, doc2.Produces
	}
	doc3, err := openapi2conv.ToV3(&merged)
	if err != nil {
		return nil, err
	}
	doc3.Info = &openapi3.Info{Title: "wenming API", Description: description, Version: "dev"}
	if doc3.Components.SecuritySchemes == nil {
		doc3.Components.SecuritySchemes = openapi3.SecuritySchemes{}
	}
	doc3.Components.SecuritySchemes["bearer"] = &openapi3.SecuritySchemeRef{Value: &openapi3.SecurityScheme{
		Type: "http", Scheme: "bearer",
		Description: "An API key from `wenming apikey create` (or printed by `serve --demo`), e.g. wm_abc…",
	}}
	doc3.Security = openapi3.SecurityRequirements{{"bearer": []string{}}}
	b, err := json.MarshalIndent(doc3, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// qualify renames the package's own definitions (v1Foo) to feedback.v1Foo
// in the definitions and in every $ref to them.
func qualify(raw []byte, pkg string) []byte {
	s := string(raw)
	s = regexp.MustCompile(`"#/definitions/(v\d+[A-Za-z0-9]*)"`).ReplaceAllString(s, `"#/definitions/`+pkg+`.$1"`)
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(s), &doc); err != nil {
		return []byte(s)
	}
	var defs map[string]json.RawMessage
	if err := json.Unmarshal(doc["definitions"], &defs); err != nil {
		return []byte(s)
	}
	renamed := map[string]json.RawMessage{}
	for k, v := range defs {
		if regexp.MustCompile(`^v\d+`).MatchString(k) {
			k = pkg + "." + k
		}
		renamed[k] = v
	}
	doc["definitions"], _ = json.Marshal(renamed)
	b, _ := json.Marshal(doc)
	return b
}

func sameJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y) || strings.TrimSpace(string(x)) == strings.TrimSpace(string(y))
}
