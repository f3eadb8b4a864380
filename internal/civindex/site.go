package civindex

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

// Limits on site content.
const (
	MaxUnitLen    = 100
	MaxAddressLen = 200
	MaxImportRows = 5000
)

// Categories are the stored site category names; the wire enum is
// SITE_CATEGORY_ followed by one of them.
var Categories = []string{
	"OFFICE_COMPOUND", "RESIDENTIAL_COMMUNITY", "STREET", "STATION", "SERVICE_HALL",
	"MARKET", "PARK", "SCHOOL", "HOSPITAL", "OTHER",
}

// ParseCategory accepts a category name with or without the SITE_CATEGORY_
// prefix, in any case.
func ParseCategory(s string) (string, bool) {
	s = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(s)), "SITE_CATEGORY_")
	return s, slices.Contains(Categories, s)
}

// SiteContent is what an admin writes about a site.
type SiteContent struct {
	Name, Category, Unit string
	HasLocation          bool
	Latitude, Longitude  float64
	Address              string
}

// Site is a place that is checked.
type Site struct {
	ID string
	SiteContent
	CreateTime, UpdateTime time.Time
}

// Normalize trims whitespace.
func (c *SiteContent) Normalize() {
	c.Name = strings.TrimSpace(c.Name)
	c.Unit = strings.TrimSpace(c.Unit)
	c.Address = strings.TrimSpace(c.Address)
}

// Validate records every problem with c under prefix.
func (c *SiteContent) Validate(v *apierr.Violations, prefix string) {
	v.RequiredText(prefix+"name", c.Name, MaxNameLen)
	v.RequiredText(prefix+"unit", c.Unit, MaxUnitLen)
	v.Text(prefix+"address", c.Address, MaxAddressLen)
	if !slices.Contains(Categories, c.Category) {
		v.Add(prefix+"category", "is required: one of %s", strings.Join(Categories, ", "))
	}
	if c.HasLocation {
		if !(c.Latitude >= -90 && c.Latitude <= 90) {
			v.Add(prefix+"location.latitude", "must be between -90 and 90, got %v", c.Latitude)
		}
		if !(c.Longitude >= -180 && c.Longitude <= 180) {
			v.Add(prefix+"location.longitude", "must be between -180 and 180, got %v", c.Longitude)
		}
	}
}

// Sites is the site register.
type Sites struct{ base }

// Create adds validated sites inside tx, in order.
func (ss *Sites) Create(ctx context.Context, tx *store.Tx, cs ...SiteContent) ([]Site, error) {
	out := make([]Site, 0, len(cs))
	for _, c := range cs {
		id, err := newID()
		if err != nil {
			return nil, err
		}
		t := ss.now()
		out = append(out, Site{ID: id, SiteContent: c, CreateTime: t, UpdateTime: t})
	}
	return out, insertSites(ctx, tx, out)
}

// Get returns one site.
func (ss *Sites) Get(ctx context.Context, id string) (Site, error) {
	s, err := getSite(ctx, ss.db.R, id)
	if errors.Is(err, errNotFound) {
		return Site{}, apierr.NotFound("site", id)
	}
	return s, err
}

// List pages through sites, newest first.
func (ss *Sites) List(ctx context.Context, f SiteFilter, after string, limit int) ([]Site, error) {
	return listSites(ctx, ss.db.R, f, after, limit)
}

// Update replaces a site's content. A new category moves the site's
// scores in the round aggregates, which are kept by category.
func (ss *Sites) Update(ctx context.Context, id string, c SiteContent) (Site, error) {
	var out Site
	err := ss.db.WithTx(ctx, func(tx *store.Tx) error {
		s, err := lockSite(ctx, tx, id)
		if errors.Is(err, errNotFound) {
			return apierr.NotFound("site", id)
		}
		if err != nil {
			return err
		}
		if c.Category != s.Category {
			if err := (roundTotals{}).moveSite(ctx, tx, id, s.Category, c.Category); err != nil {
				return err
			}
		}
		s.SiteContent = c
		s.UpdateTime = ss.now()
		out = s
		return updateSite(ctx, tx, s)
	})
	return out, err
}

// Delete removes a site no round includes.
func (ss *Sites) Delete(ctx context.Context, id string) error {
	return ss.db.WithTx(ctx, func(tx *store.Tx) error {
		if _, err := getSite(ctx, tx, id); errors.Is(err, errNotFound) {
			return apierr.NotFound("site", id)
		} else if err != nil {
			return err
		}
		var n int
		if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM civ_round_sites WHERE site_id = ?`), id); err != nil {
			return fmt.Errorf("civindex: count site rounds: %w", err)
		}
		if n > 0 {
			return apierr.FailedPrecondition(apierr.SiteInUse, "site %s is in %d round(s) and cannot be deleted", id, n)
		}
		return deleteSite(ctx, tx, id)
	})
}
