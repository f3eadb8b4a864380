package civindex

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

// frameworks is the framework registry.
type frameworks struct{ base }

func newID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	return id.String(), nil
}

func frameworkNotFound(id string, version int) error {
	if version != 0 {
		return apierr.NotFound("framework version", fmt.Sprintf("%s@%d", id, version))
	}
	return apierr.NotFound("framework", id)
}

// Create stores c (normalized, draft-valid) as draft version 1 inside tx.
func (fs *frameworks) Create(ctx context.Context, tx *store.Tx, c Content) (Framework, error) {
	id, err := newID()
	if err != nil {
		return Framework{}, err
	}
	t := fs.now()
	f := Framework{ID: id, Version: 1, State: draft, Content: c, CreateTime: t, UpdateTime: t}
	return f, insertFramework(ctx, tx, f)
}

// Import is Create for a file loaded again and again: when a version with
// the same name and exactly this content exists (draft or published), it
// is returned with reused true and nothing is written.
func (fs *frameworks) Import(ctx context.Context, tx *store.Tx, c Content) (f Framework, reused bool, err error) {
	f, err = frameworkWithContent(ctx, tx, c)
	if err == nil {
		return f, true, nil
	}
	if !errors.Is(err, errNotFound) {
		return Framework{}, false, err
	}
	f, err = fs.Create(ctx, tx, c)
	return f, false, err
}

// Get returns the given version, or the newest when version is 0.
func (fs *frameworks) Get(ctx context.Context, id string, version int) (Framework, error) {
	f, err := getFramework(ctx, fs.db.R, id, version)
	if errors.Is(err, errNotFound) {
		return Framework{}, frameworkNotFound(id, version)
	}
	return f, err
}

// List returns the newest version of each framework, newest framework first.
func (fs *frameworks) List(ctx context.Context, after string, limit int) ([]Framework, error) {
	return listFrameworks(ctx, fs.db.R, after, limit)
}

// draft returns the newest version of id inside tx, failing unless it is a
// draft.
func draftOf(ctx context.Context, tx *store.Tx, id string) (Framework, error) {
	f, err := getFramework(ctx, tx, id, 0)
	if errors.Is(err, errNotFound) {
		return Framework{}, frameworkNotFound(id, 0)
	}
	if err != nil {
		return Framework{}, err
	}
	if f.State != draft {
		return Framework{}, apierr.FailedPrecondition(apierr.FrameworkStateForbids,
			"framework %s version %d is published and cannot change; draft version %d with NewFrameworkVersion",
			id, f.Version, f.Version+1)
	}
	return f, nil
}

// Update replaces the content of the draft version.
func (fs *frameworks) Update(ctx context.Context, id string, c Content) (Framework, error) {
	var out Framework
	err := fs.db.WithTx(ctx, func(tx *store.Tx) error {
		f, err := draftOf(ctx, tx, id)
		if err != nil {
			return err
		}
		f.Content = c
		f.UpdateTime = fs.now()
		out = f
		return updateDraft(ctx, tx, f)
	})
	return out, err
}

// Publish validates the draft and makes it immutable. Publishing the
// newest version again returns it unchanged.
func (fs *frameworks) Publish(ctx context.Context, id string) (Framework, error) {
	var out Framework
	err := fs.db.WithTx(ctx, func(tx *store.Tx) error {
		f, err := getFramework(ctx, tx, id, 0)
		if errors.Is(err, errNotFound) {
			return frameworkNotFound(id, 0)
		}
		if err != nil {
			return err
		}
		if f.State == published {
			out = f
			return nil
		}
		var v apierr.Violations
		f.Validate(&v, "framework.")
		if err := checkSurveySources(ctx, tx, f.Content, &v, "framework."); err != nil {
			return err
		}
		if v.Len() > 0 {
			return notPublishable(&v, fmt.Sprintf("framework %s version %d", id, f.Version))
		}
		f.State = published
		f.UpdateTime = fs.now()
		f.PublishTime = f.UpdateTime
		out = f
		return markPublished(ctx, tx, f)
	})
	return out, err
}

// NewVersion drafts the version after the newest, published one, with its
// content, inside tx.
func (fs *frameworks) NewVersion(ctx context.Context, tx *store.Tx, id string) (Framework, error) {
	cur, err := getFramework(ctx, tx, id, 0)
	if errors.Is(err, errNotFound) {
		return Framework{}, frameworkNotFound(id, 0)
	}
	if err != nil {
		return Framework{}, err
	}
	if cur.State == draft {
		return Framework{}, apierr.FailedPrecondition(apierr.FrameworkStateForbids,
			"framework %s version %d is still a draft; edit that instead of drafting another", id, cur.Version)
	}
	t := fs.now()
	next := Framework{ID: id, Version: cur.Version + 1, State: draft, Content: cur.Content, CreateTime: t, UpdateTime: t}
	return next, insertFramework(ctx, tx, next)
}

// notPublishable turns violations into FAILED_PRECONDITION — the request is
// fine, the stored draft is not — keeping the BadRequest detail that names
// each field.
func notPublishable(v *apierr.Violations, what string) error {
	return v.Refuse(codes.FailedPrecondition, apierr.FrameworkNotPublishable, what+" cannot be published: ")
}
