package datagen

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
)

// IndexData is a published framework, sites and open rounds over all of
// them, made through the civindex RPCs.
type IndexData struct {
	FrameworkID string
	Version     int32
	ItemIDs     []string
	SiteIDs     []string
	RoundIDs    []string
}

// CreateIndexData publishes a framework of items BINARY items (5
// dimensions, 2 indicators each), imports sites sites and creates and
// opens rounds rounds over all of them, the latest one last. ctx must
// carry an admin key.
//
// Inspections are submitted through the RPC (SubmitInspections), not
// written with SQL: the service materialises each site's score when an
// inspection arrives, and going through it keeps the data set right
// whatever shape those maintained rows take.
func CreateIndexData(ctx context.Context, conn grpc.ClientConnInterface, items, sites, rounds int) (IndexData, error) {
	var out IndexData
	fc := civindexv1.NewFrameworkServiceClient(conn)
	const dims, inds = 5, 2
	content := &civindexv1.FrameworkContent{Name: "压测测评体系", Description: "bench"}
	for d := range dims {
		dim := &civindexv1.Dimension{Id: fmt.Sprintf("D%d", d+1), Name: fmt.Sprintf("维度%d", d+1)}
		for k := range inds {
			dim.Indicators = append(dim.Indicators, &civindexv1.Indicator{
				Id: fmt.Sprintf("D%d.%d", d+1, k+1), Name: fmt.Sprintf("指标%d.%d", d+1, k+1)})
		}
		content.Dimensions = append(content.Dimensions, dim)
	}
	for i := range items {
		ind := content.Dimensions[i%dims].Indicators[(i/dims)%inds]
		id := fmt.Sprintf("%s.%03d", ind.Id, i+1)
		ind.Items = append(ind.Items, &civindexv1.CheckItem{
			Id: id, Name: fmt.Sprintf("检查项%d", i+1), MaxPoints: float64(1 + i%4),
			Method: civindexv1.ScoringMethod_SCORING_METHOD_BINARY,
		})
		out.ItemIDs = append(out.ItemIDs, id)
	}
	f, err := fc.CreateFramework(ctx, &civindexv1.CreateFrameworkRequest{Framework: content})
	if err != nil {
		return out, fmt.Errorf("create framework: %w", err)
	}
	out.FrameworkID = f.GetFramework().GetId()
	p, err := fc.PublishFramework(ctx, &civindexv1.PublishFrameworkRequest{Id: out.FrameworkID})
	if err != nil {
		return out, fmt.Errorf("publish framework: %w", err)
	}
	out.Version = p.GetFramework().GetVersion()

	sc := civindexv1.NewSiteServiceClient(conn)
	categories := []string{"RESIDENTIAL_COMMUNITY", "STREET", "SERVICE_HALL", "MARKET", "PARK"}
	const perImport = 200
	for start := 0; start < sites; start += perImport {
		var csv strings.Builder
		csv.WriteString("name,category,unit\n")
		for i := start; i < min(sites, start+perImport); i++ {
			fmt.Fprintf(&csv, "压测点位%04d,%s,单位%02d\n", i+1, categories[i%len(categories)], i%20+1)
		}
		r, err := sc.ImportSites(ctx, &civindexv1.ImportSitesRequest{Csv: csv.String()})
		if err != nil {
			return out, fmt.Errorf("import sites: %w", err)
		}
		for _, s := range r.GetSites() {
			out.SiteIDs = append(out.SiteIDs, s.GetId())
		}
	}

	rc := civindexv1.NewRoundServiceClient(conn)
	now := time.Now()
	for k := range rounds {
		r, err := rc.CreateRound(ctx, &civindexv1.CreateRoundRequest{
			Name: fmt.Sprintf("压测第%d轮", k+1), Kind: civindexv1.RoundKind_ROUND_KIND_SELF_CHECK,
			FrameworkId: out.FrameworkID, FrameworkVersion: out.Version,
			// Earlier rounds start earlier so trends keep their order;
			// every round's period covers now, when inspections arrive.
			StartTime: timestamppb.New(now.Add(-time.Duration(rounds-k) * time.Hour)),
			EndTime:   timestamppb.New(now.Add(30 * 24 * time.Hour)),
			SiteIds:   out.SiteIDs,
		})
		if err != nil {
			return out, fmt.Errorf("create round: %w", err)
		}
		id := r.GetRound().GetId()
		if _, err := rc.OpenRound(ctx, &civindexv1.OpenRoundRequest{Id: id}); err != nil {
			return out, fmt.Errorf("open round: %w", err)
		}
		out.RoundIDs = append(out.RoundIDs, id)
	}
	return out, nil
}

// SubmitInspections submits one inspection of every site in every round,
// with workers calls in flight. Item k at site s in round r is met unless
// (s+k+r) % 5 == 0 or, for some sites, k % 7 == 0, so scores differ
// between sites and rounds. ctx must carry an admin or inspector key.
func SubmitInspections(ctx context.Context, conn grpc.ClientConnInterface, d IndexData, workers int) error {
	ic := civindexv1.NewInspectionServiceClient(conn)
	type job struct{ round, site int }
	jobs := make(chan job)
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				results := make([]*civindexv1.ItemResult, len(d.ItemIDs))
				for k, id := range d.ItemIDs {
					met := (j.site+k+j.round)%5 != 0 && !(j.site%3 == 0 && k%7 == 0)
					results[k] = &civindexv1.ItemResult{ItemId: id, Met: met}
				}
				_, err := ic.SubmitInspection(ctx, &civindexv1.SubmitInspectionRequest{
					RoundId: d.RoundIDs[j.round], SiteId: d.SiteIDs[j.site], Results: results,
				})
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("submit inspection: %w", err)
					}
					mu.Unlock()
				}
			}
		}()
	}
feed:
	for r := range d.RoundIDs {
		for s := range d.SiteIDs {
			mu.Lock()
			failed := firstErr != nil
			mu.Unlock()
			if failed || ctx.Err() != nil {
				break feed
			}
			jobs <- job{r, s}
		}
	}
	close(jobs)
	wg.Wait()
	return firstErr
}
