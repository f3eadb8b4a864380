package civindex

import (
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/wenming/wenming/internal/apierr"
)

// The site CSV format: UTF-8 (a byte-order mark is ignored), a header line
// naming the columns in any order, one site per line:
//
//	name,category,unit,latitude,longitude,address
//	人民路步行街,STREET,东城区城管局,39.91,116.40,人民路1-99号
//	市民服务中心,service_hall,市政务服务局,,,
//
// name, category and unit are required columns; latitude and longitude are
// given together or not at all. category is a SiteCategory name with or
// without its SITE_CATEGORY_ prefix, in any case.
var siteColumns = []string{"name", "category", "unit", "latitude", "longitude", "address"}

// ParseSitesCSV reads a site CSV, recording every problem in v under field
// (e.g. "csv") with its line number. It returns the sites only when v got
// nothing new.
func ParseSitesCSV(r io.Reader, field string, v *apierr.Violations) []SiteContent {
	before := v.Len()
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		v.Add(field, "is empty; want a header line and one line per site")
		return nil
	}
	if err != nil {
		v.Add(field, "is not CSV: %v", err)
		return nil
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		known := false
		for _, c := range siteColumns {
			known = known || c == h
		}
		if !known {
			v.Add(field, "line 1: unknown column %q; want %s", h, strings.Join(siteColumns, ", "))
			continue
		}
		col[h] = i
	}
	for _, c := range siteColumns[:3] {
		if _, ok := col[c]; !ok {
			v.Add(field, "line 1: the header has no %q column", c)
		}
	}
	if v.Len() > before {
		return nil
	}
	var out []SiteContent
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			// A read error (an unterminated quote, say) may leave no field
			// to ask FieldPos about: the error names its own line.
			v.Add(field, "%v", err)
			break
		}
		line, _ := cr.FieldPos(0)
		if len(out) >= maxImportRows {
			v.Add(field, "has more than %d sites; split the file", maxImportRows)
			break
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		c := SiteContent{Name: get("name"), Unit: get("unit"), Address: get("address")}
		var lv apierr.Violations
		if cat, ok := parseCategory(get("category")); ok {
			c.Category = cat
		} else if get("category") != "" {
			lv.Add("category", "unknown category %q", get("category"))
			c.Category = categories[0] // reported above; keep Validate quiet
		}
		lat, lng := get("latitude"), get("longitude")
		if lat != "" || lng != "" {
			c.HasLocation = true
			var perr error
			if c.Latitude, perr = strconv.ParseFloat(lat, 64); perr != nil {
				lv.Add("latitude", "%q is not a number", lat)
			}
			if c.Longitude, perr = strconv.ParseFloat(lng, 64); perr != nil {
				lv.Add("longitude", "%q is not a number", lng)
			}
		}
		c.Normalize()
		c.Validate(&lv, "")
		for _, msg := range lv.Lines() {
			v.Add(field, "line %d: %s", line, msg)
		}
		out = append(out, c)
	}
	if v.Len() > before {
		return nil
	}
	if len(out) == 0 {
		v.Add(field, "lists no sites")
	}
	return out
}
