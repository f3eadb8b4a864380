package civindex

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/wenming/wenming/internal/store"
)

type siteRow struct {
	ID          string  `db:"id"`
	Name        string  `db:"name"`
	Category    string  `db:"category"`
	Unit        string  `db:"unit"`
	HasLocation bool    `db:"has_location"`
	Latitude    float64 `db:"latitude"`
	Longitude   float64 `db:"longitude"`
	Address     string  `db:"address"`
	CreateTime  int64   `db:"create_time"`
	UpdateTime  int64   `db:"update_time"`
}

func (r siteRow) site() Site {
	return Site{
		ID: r.ID,
		SiteContent: SiteContent{
			Name: r.Name, Category: r.Category, Unit: r.Unit, HasLocation: r.HasLocation,
			Latitude: r.Latitude, Longitude: r.Longitude, Address: r.Address,
		},
		CreateTime: store.FromMicros(r.CreateTime), UpdateTime: store.FromMicros(r.UpdateTime),
	}
}

const selectSite = `SELECT id, name, category, unit, has_location, latitude, longitude, address, create_time, update_time FROM civ_sites`

func getSite(ctx context.Context, db store.Queryer, id string) (Site, error) {
	var r siteRow
	err := db.GetContext(ctx, &r, db.Rebind(selectSite+` WHERE id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return Site{}, errNotFound
	}
	if err != nil {
		return Site{}, fmt.Errorf("civindex: get site: %w", err)
	}
	return r.site(), nil
}

// existingSites reports which of ids name a site, in one query.
func existingSites(ctx context.Context, db store.Queryer, ids []string) (map[string]bool, error) {
	out := make(map[string]bool, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	q, args, err := sqlx.In(`SELECT id FROM civ_sites WHERE id IN (?)`, ids)
	if err != nil {
		return nil, fmt.Errorf("civindex: find sites: %w", err)
	}
	var found []string
	if err := db.SelectContext(ctx, &found, db.Rebind(q), args...); err != nil {
		return nil, fmt.Errorf("civindex: find sites: %w", err)
	}
	for _, id := range found {
		out[id] = true
	}
	return out, nil
}

// lockSite is getSite that, on PostgreSQL, also locks the site's row until
// tx ends, so its category cannot change under a score being stored.
func lockSite(ctx context.Context, tx *store.Tx, id string) (Site, error) {
	var r siteRow
	err := tx.GetContext(ctx, &r, tx.Rebind(selectSite+` WHERE id = ?`+forUpdate(tx)), id)
	if errors.Is(err, sql.ErrNoRows) {
		return Site{}, errNotFound
	}
	if err != nil {
		return Site{}, fmt.Errorf("civindex: lock site: %w", err)
	}
	return r.site(), nil
}

// siteCategory returns a site's category and, on PostgreSQL, holds a share
// lock on its row until tx ends, so an admin's change of category
// (lockSite) waits for a score being stored, or the score waits for the
// change, and the round aggregates count the site in one category.
func siteCategory(ctx context.Context, tx *store.Tx, id string) (string, error) {
	var c string
	q := `SELECT category FROM civ_sites WHERE id = ?`
	if tx.DriverName() == "pgx" {
		q += ` FOR SHARE`
	}
	if err := tx.GetContext(ctx, &c, tx.Rebind(q), id); err != nil {
		return "", fmt.Errorf("civindex: site category: %w", err)
	}
	return c, nil
}

// siteFilter narrows a site list.
type siteFilter struct {
	Category, Unit string
}

func listSites(ctx context.Context, db store.Queryer, f siteFilter, after string, limit int) ([]Site, error) {
	q := selectSite + ` WHERE 1 = 1`
	var args []any
	if f.Category != "" {
		q += ` AND category = ?`
		args = append(args, f.Category)
	}
	if f.Unit != "" {
		q += ` AND unit = ?`
		args = append(args, f.Unit)
	}
	q, args = store.PageDesc(q, args, "id", after, limit)
	out, err := store.SelectAll(ctx, db, func(r siteRow) (Site, error) { return r.site(), nil }, q, args...)
	if err != nil {
		return nil, fmt.Errorf("civindex: list sites: %w", err)
	}
	return out, nil
}

// roundSites returns the sites in a round's scope, keyed by id.
func roundSites(ctx context.Context, db store.Queryer, roundID string) (map[string]Site, error) {
	var rows []siteRow
	err := db.SelectContext(ctx, &rows, db.Rebind(
		`SELECT s.id, s.name, s.category, s.unit, s.has_location, s.latitude, s.longitude, s.address,
		        s.create_time, s.update_time
		 FROM civ_sites s JOIN civ_round_sites rs ON rs.site_id = s.id WHERE rs.round_id = ?`), roundID)
	if err != nil {
		return nil, fmt.Errorf("civindex: round sites: %w", err)
	}
	out := make(map[string]Site, len(rows))
	for _, r := range rows {
		out[r.ID] = r.site()
	}
	return out, nil
}

// insertSites stores new sites, 64 to a statement (store.InsertRows).
func insertSites(ctx context.Context, tx *store.Tx, sites []Site) error {
	rows := make([][]any, len(sites))
	for i, s := range sites {
		rows[i] = []any{s.ID, s.Name, s.Category, s.Unit, s.HasLocation, s.Latitude, s.Longitude, s.Address,
			store.Micros(s.CreateTime), store.Micros(s.UpdateTime)}
	}
	if err := store.InsertRows(ctx, tx, "civ_sites", siteTableColumns, rows); err != nil {
		return fmt.Errorf("civindex: insert sites: %w", err)
	}
	return nil
}

// siteTableColumns are the civ_sites columns a new site fills.
var siteTableColumns = []string{"id", "name", "category", "unit", "has_location", "latitude", "longitude", "address",
	"create_time", "update_time"}

func updateSite(ctx context.Context, tx *store.Tx, s Site) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(
		`UPDATE civ_sites SET name = ?, category = ?, unit = ?, has_location = ?, latitude = ?, longitude = ?,
		     address = ?, update_time = ? WHERE id = ?`),
		s.Name, s.Category, s.Unit, s.HasLocation, s.Latitude, s.Longitude, s.Address, store.Micros(s.UpdateTime), s.ID)
	if err != nil {
		return fmt.Errorf("civindex: update site: %w", err)
	}
	return nil
}

func deleteSite(ctx context.Context, tx *store.Tx, id string) error {
	if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM civ_sites WHERE id = ?`), id); err != nil {
		return fmt.Errorf("civindex: delete site: %w", err)
	}
	return nil
}

// siteByNameUnit finds the site a file row means: sites have no code, so
// a name within its responsible unit is their natural key.
func siteByNameUnit(ctx context.Context, db store.Queryer, name, unit string) (Site, error) {
	var r siteRow
	err := db.GetContext(ctx, &r, db.Rebind(selectSite+` WHERE name = ? AND unit = ? ORDER BY create_time, id LIMIT 1`), name, unit)
	if errors.Is(err, sql.ErrNoRows) {
		return Site{}, errNotFound
	}
	if err != nil {
		return Site{}, fmt.Errorf("civindex: find site: %w", err)
	}
	return r.site(), nil
}
