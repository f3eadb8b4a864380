// Package yamlfile holds what the YAML import formats (civility-index
// frameworks, questionnaires) share: telling a person on which line of
// their file a problem is, and catching misspelt keys that
// yaml.Node.Decode would silently ignore.
package yamlfile

import (
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// WithLine prefixes a "field: description" line with the line of the
// deepest entry of lines (field prefix → line) the field belongs to, when
// it belongs to one.
func WithLine(msg string, lines map[string]int) string {
	field, _, _ := strings.Cut(msg, ": ")
	prefixes := make([]string, 0, len(lines))
	for p := range lines {
		prefixes = append(prefixes, p)
	}
	sort.Slice(prefixes, func(i, j int) bool { return len(prefixes[i]) > len(prefixes[j]) })
	for _, p := range prefixes {
		if field == p || strings.HasPrefix(field, p+".") {
			return fmt.Sprintf("line %d: %s", lines[p], msg)
		}
	}
	return msg
}

// UnknownKey returns a key of mapping n that is not in known, or "".
// yaml.Node.Decode does not apply the decoder's KnownFields, so a misspelt
// key would otherwise silently leave its field at the zero value.
func UnknownKey(n *yaml.Node, known map[string]bool) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i].Value; !known[k] {
			return k
		}
	}
	return ""
}

// Child returns the value of key in mapping node n, or nil.
func Child(n *yaml.Node, key string) *yaml.Node {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}
