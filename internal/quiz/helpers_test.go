package quiz_test

import (
	"testing"

	"github.com/wenming/wenming/internal/store"
	"github.com/wenming/wenming/internal/store/storetest"
)

func storetestDB(t *testing.T) *store.DB { return storetest.SQLite(t) }
