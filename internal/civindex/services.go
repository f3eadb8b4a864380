package civindex

import (
	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/rpc"
)

// Services returns the civility-index gRPC services.
func Services(d rpc.Deps) []rpc.Service {
	frameworks := NewFrameworkHandler(d.DB)
	sites := NewSiteHandler(d.DB)
	rounds := NewRoundHandler(d.DB)
	inspections := NewInspectionHandler(d.DB)
	index := NewIndexHandler(d.DB)
	return []rpc.Service{
		{Register: frameworks.Register, Gateway: civindexv1.RegisterFrameworkServiceHandler, Policy: FrameworkPolicy},
		{Register: sites.Register, Gateway: civindexv1.RegisterSiteServiceHandler, Policy: SitePolicy},
		{Register: rounds.Register, Gateway: civindexv1.RegisterRoundServiceHandler, Policy: RoundPolicy},
		{Register: inspections.Register, Gateway: civindexv1.RegisterInspectionServiceHandler, Policy: InspectionPolicy},
		{Register: index.Register, Gateway: civindexv1.RegisterIndexServiceHandler, Policy: IndexPolicy},
	}
}
