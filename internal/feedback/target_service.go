package feedback

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/store"
)

func newID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	return id.String(), nil
}

// CreateTarget adds a validated target inside tx. The parent must exist,
// be active and be of a kind the new target may sit under.
func (s *Service) CreateTarget(ctx context.Context, tx *store.Tx, in TargetInput) (Target, error) {
	id, err := newID()
	if err != nil {
		return Target{}, err
	}
	now := s.now()
	t := Target{
		ID: id, Kind: in.Kind, Name: in.Name, ParentID: in.ParentID, Active: true, Form: in.Form,
		CreateTime: now, UpdateTime: now, DepartmentID: id, Path: "/" + id + "/",
	}
	if in.ParentID != "" {
		parent, err := getTarget(ctx, tx, in.ParentID)
		if errors.Is(err, errNotFound) {
			return Target{}, apierr.Field("parent_id", "no target %q", in.ParentID)
		}
		if err != nil {
			return Target{}, err
		}
		var v apierr.Violations
		checkParent(&v, "parent_id", in.Kind, parent)
		if err := v.Err(); err != nil {
			return Target{}, err
		}
		t.Path = parent.Path + id + "/"
		if in.Kind != Department {
			t.DepartmentID = parent.DepartmentID
		}
	}
	if err := insertTarget(ctx, tx, t); err != nil {
		return Target{}, err
	}
	return t, nil
}

// GetTarget returns one target.
func (s *Service) GetTarget(ctx context.Context, q store.Queryer, id string) (Target, error) {
	t, err := getTarget(ctx, q, id)
	if errors.Is(err, errNotFound) {
		return Target{}, apierr.NotFound("target", id)
	}
	return t, err
}

// ListTargets returns up to limit targets after the given id, in id order.
func (s *Service) ListTargets(ctx context.Context, f TargetFilter, after string, limit int) ([]Target, error) {
	return listTargets(ctx, s.db.R, f, after, limit)
}

// UpdateTarget replaces a target's name and own form.
func (s *Service) UpdateTarget(ctx context.Context, id, name string, form Form) (Target, error) {
	var out Target
	err := s.db.WithTx(ctx, func(tx *store.Tx) error {
		t, err := s.GetTarget(ctx, tx, id)
		if err != nil {
			return err
		}
		t.Name, t.Form, t.UpdateTime = name, form, s.now()
		out = t
		return updateTargetRow(ctx, tx, t)
	})
	return out, err
}

// DeactivateTarget stops new ratings for a target and its subtree.
func (s *Service) DeactivateTarget(ctx context.Context, id string) (Target, error) {
	var out Target
	err := s.db.WithTx(ctx, func(tx *store.Tx) error {
		t, err := s.GetTarget(ctx, tx, id)
		if err != nil {
			return err
		}
		if !t.Active {
			out = t
			return nil
		}
		t.Active, t.UpdateTime = false, s.now()
		out = t
		return deactivateSubtree(ctx, tx, t.Path, store.Micros(t.UpdateTime))
	})
	return out, err
}

// FormFor returns the form in effect for t: its own, else its nearest
// ancestor's, else DefaultForm.
func (s *Service) FormFor(ctx context.Context, q store.Queryer, t Target) (Form, error) {
	if !t.Form.Empty() {
		return t.Form, nil
	}
	up := t.Ancestors()
	byID, err := getTargets(ctx, q, up)
	if err != nil {
		return Form{}, err
	}
	for _, id := range up {
		if a, ok := byID[id]; ok && !a.Form.Empty() {
			return a.Form, nil
		}
	}
	return DefaultForm, nil
}
