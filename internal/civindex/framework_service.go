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

// Frameworks is the framework registry.
type Frameworks struct{ base }

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
func (fs *Frameworks) Create(ctx context.Context, tx *store.Tx, c Content) (Framework, error) {
	id, err := newID()
	if err != nil {
		return Framework{}, err
	}
	t := fs.now()
	f := Framework{ID: id, Version: 1, State: Draft, Content: c, CreateTime: t, UpdateTime: t}
	return f, insertFramework(ctx, tx, f)
}

// Get returns the given version, or the newest when version is 0.
func (fs *Frameworks) Get(ctx context.Context, id string, version int) (Framework, error) {
	f, err := getFramework(ctx, fs.db.R, id, version)
	if errors.Is(err, errNotFound) {
		return Framework{}, frameworkNotFound(id, version)
	}
	return f, err
}

// List returns the newest version of each framework, newest framework first.
func (fs *Frameworks) List(ctx context.Context, after string, limit int) ([]Framework, error) {
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
	if f.State != Draft {
		return Framework{}, apierr.FailedPrecondition(apierr.FrameworkStateForbids,
			"framework %s version %d is published and cannot change; draft version %d with NewFrameworkVersion",
			id, f.Version, f.Version+1)
	}
	return f, nil
}

// Update replaces the content of the draft version.
func (fs *Frameworks) Update(ctx context.Context, id string, c Content) (Framework, error) {
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
func (fs *Frameworks) Publish(ctx context.Context, id string) (Framework, error) {
	var out Framework
	err := fs.db.WithTx(ctx, func(tx *store.Tx) error {
		f, err := getFramework(ctx, tx, id, 0)
		if errors.Is(err, errNotFound) {
			return frameworkNotFound(id, 0)
		}
		if err != nil {
			return err
		}
		if f.State == Published {
			out = f
			return nil
		}
		var v apierr.Violations
		f.Validate(&v, "framework.")
		if v.Len() > 0 {
			return notPublishable(&v, fmt.Sprintf("framework %s version %d", id, f.Version))
		}
		f.State = Published
		f.UpdateTime = fs.now()
		f.PublishTime = f.UpdateTime
		out = f
		return markPublished(ctx, tx, f)
	})
	return out, err
}

// NewVersion drafts the version after the newest, published one, with its
// content, inside tx.
func (fs *Frameworks) NewVersion(ctx context.Context, tx *store.Tx, id string) (Framework, error) {
	cur, err := getFramework(ctx, tx, id, 0)
	if errors.Is(err, errNotFound) {
		return Framework{}, frameworkNotFound(id, 0)
	}
	if err != nil {
		return Framework{}, err
	}
	if cur.State == Draft {
		return Framework{}, apierr.FailedPrecondition(apierr.FrameworkStateForbids,
			"framework %s version %d is still a draft; edit that instead of drafting another", id, cur.Version)
	}
	t := fs.now()
	next := Framework{ID: id, Version: cur.Version + 1, State: Draft, Content: cur.Content, CreateTime: t, UpdateTime: t}
	return next, insertFramework(ctx, tx, next)
}

// notPublishable turns violations into FAILED_PRECONDITION — the request is
// fine, the stored draft is not — keeping the BadRequest detail that names
// each field.
func notPublishable(v *apierr.Violations, what string) error {
	return v.Refuse(codes.FailedPrecondition, apierr.FrameworkNotPublishable, what+" cannot be published: ")
}
