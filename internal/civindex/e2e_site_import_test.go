package civindex_test

import (
	"testing"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

// A site is its name within its unit: importing a file again, under a new
// request id, returns the sites already registered and adds none.
func TestReimportingSitesAddsNone(t *testing.T) {
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		c := civindexv1.NewSiteServiceClient(s.Conn)
		ctx := s.Ctx(auth.Admin)
		const csv = "name,category,unit\n人民路,street,东城区\n人民路,street,西城区\n人民路,street,东城区\n"
		first, err := c.ImportSites(ctx, &civindexv1.ImportSitesRequest{Csv: csv, RequestId: "sites-1"})
		if err != nil {
			t.Fatal(err)
		}
		got := first.GetSites()
		if len(got) != 3 || got[0].GetId() != got[2].GetId() || got[0].GetId() == got[1].GetId() {
			t.Fatalf("first import: %v; want rows 1 and 3 to be one site, row 2 another", got)
		}
		again, err := c.ImportSites(ctx, &civindexv1.ImportSitesRequest{Csv: csv, RequestId: "sites-2"})
		if err != nil {
			t.Fatal(err)
		}
		for i, site := range again.GetSites() {
			if site.GetId() != got[i].GetId() {
				t.Errorf("row %d re-imported as %s, first %s", i, site.GetId(), got[i].GetId())
			}
		}
		list, err := c.ListSites(ctx, &civindexv1.ListSitesRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(list.GetSites()); n != 2 {
			t.Errorf("%d sites registered, want 2", n)
		}
	})
}
