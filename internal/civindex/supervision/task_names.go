package supervision

import (
	"context"
	"fmt"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
)

// nameTasks fills the tasks' display names: the site's name, and the
// item's and its dimension's names in the framework version of the task's
// round. Each site, round and framework version is read once per call.
// Names are for display: one that cannot be read (a site deleted since)
// stays empty and the ids still identify the task.
func (h *handler) nameTasks(ctx context.Context, tasks []*civindexv1.RectificationTask) {
	civ := h.svc.Civ
	sites := map[string]string{}
	type fwNames struct{ items, dims map[string]string }
	byRound := map[string]*fwNames{}
	byFramework := map[string]*fwNames{}
	for _, t := range tasks {
		name, ok := sites[t.GetSiteId()]
		if !ok {
			if s, err := civ.Sites.Get(ctx, t.GetSiteId()); err == nil {
				name = s.Name
			}
			sites[t.GetSiteId()] = name
		}
		t.SiteName = name
		fn, ok := byRound[t.GetRoundId()]
		if !ok {
			fn = &fwNames{}
			if r, err := civ.Rounds.Get(ctx, t.GetRoundId()); err == nil {
				key := fmt.Sprintf("%s/%d", r.FrameworkID, r.FrameworkVersion)
				if cached, ok := byFramework[key]; ok {
					fn = cached
				} else if fw, err := civ.Frameworks.Get(ctx, r.FrameworkID, r.FrameworkVersion); err == nil {
					fn = &fwNames{items: map[string]string{}, dims: map[string]string{}}
					for _, d := range fw.Dimensions {
						fn.dims[d.ID] = d.Name
					}
					for _, it := range fw.Items() {
						fn.items[it.ID] = it.Name
					}
					byFramework[key] = fn
				}
			}
			byRound[t.GetRoundId()] = fn
		}
		t.ItemName, t.DimensionName = fn.items[t.GetItemId()], fn.dims[t.GetDimensionId()]
	}
}
