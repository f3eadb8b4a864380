package civindex

import (
	"context"
	"time"

	"github.com/wenming/wenming/internal/scoring"
	"github.com/wenming/wenming/internal/store"
)

// Hooks are called inside the transaction of a write, so what they store
// commits or rolls back with it. A hook's error fails the write.
type Hooks struct {
	// Recorded runs after an inspection is submitted or amended.
	Recorded func(ctx context.Context, tx *store.Tx, r Recorded) error
	// Closed runs after a round becomes CLOSED.
	Closed func(ctx context.Context, tx *store.Tx, r Round) error
}

// Recorded is a revision of an inspection that was just written.
type Recorded struct {
	RoundID, RoundKind, SiteID, InspectionID string
	Revision                                 int
	// InspectionCreateTime is when the visit was first submitted; At when
	// this revision was.
	InspectionCreateTime, At time.Time
	// Items are the revision's scored items.
	Items []scoring.ItemScore
}

// Round kinds, for the packages that build on rounds.
const (
	SelfCheck = selfCheck
	SpotCheck = spotCheck
)
