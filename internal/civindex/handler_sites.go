package civindex

import (
	"context"
	"strings"

	"google.golang.org/grpc"

	civindexv1 "github.com/wenming/wenming/gen/go/wenming/civindex/v1"
	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/paging"
	"github.com/wenming/wenming/internal/store"
)

// siteHandler serves wenming.civindex.v1.SiteService.
type siteHandler struct {
	civindexv1.UnimplementedSiteServiceServer
	svc *Service
}

// Register adds the service to s.
func (h *siteHandler) Register(s grpc.ServiceRegistrar) { civindexv1.RegisterSiteServiceServer(s, h) }

// sitePolicy: admins manage sites; inspectors and analysts read them.
var sitePolicy = auth.Policy{
	civindexv1.SiteService_CreateSite_FullMethodName:  auth.AdminOnly(),
	civindexv1.SiteService_UpdateSite_FullMethodName:  auth.AdminOnly(),
	civindexv1.SiteService_DeleteSite_FullMethodName:  auth.AdminOnly(),
	civindexv1.SiteService_ImportSites_FullMethodName: auth.AdminOnly(),
	civindexv1.SiteService_GetSite_FullMethodName:     auth.Allow(auth.Inspector, auth.Analyst),
	civindexv1.SiteService_ListSites_FullMethodName:   auth.Allow(auth.Inspector, auth.Analyst),
}

func validSite(p *civindexv1.SiteContent, v *apierr.Violations) SiteContent {
	if p == nil {
		v.Add("site", "is required")
		return SiteContent{}
	}
	c := siteContentFromProto(p)
	c.Normalize()
	c.Validate(v, "site.")
	return c
}

func (h *siteHandler) CreateSite(ctx context.Context, req *civindexv1.CreateSiteRequest) (*civindexv1.CreateSiteResponse, error) {
	var v apierr.Violations
	c := validSite(req.GetSite(), &v)
	v.RequestID("request_id", req.GetRequestId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	call := store.Call{
		Method: civindexv1.SiteService_CreateSite_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*civindexv1.CreateSiteResponse, error) {
		s, err := h.svc.Sites.Create(ctx, tx, c)
		if err != nil {
			return nil, err
		}
		return &civindexv1.CreateSiteResponse{Site: siteToProto(s[0])}, nil
	})
}

func (h *siteHandler) ImportSites(ctx context.Context, req *civindexv1.ImportSitesRequest) (*civindexv1.ImportSitesResponse, error) {
	var v apierr.Violations
	v.RequestID("request_id", req.GetRequestId())
	cs := ParseSitesCSV(strings.NewReader(req.GetCsv()), "csv", &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	call := store.Call{
		Method: civindexv1.SiteService_ImportSites_FullMethodName, Scope: auth.FromContext(ctx).ID(),
		RequestID: req.GetRequestId(), Request: req,
	}
	return store.Once(ctx, h.svc.db, call, func(tx *store.Tx) (*civindexv1.ImportSitesResponse, error) {
		sites, _, err := h.svc.Sites.Import(ctx, tx, cs...)
		if err != nil {
			return nil, err
		}
		resp := &civindexv1.ImportSitesResponse{}
		for _, s := range sites {
			resp.Sites = append(resp.Sites, siteToProto(s))
		}
		return resp, nil
	})
}

func (h *siteHandler) GetSite(ctx context.Context, req *civindexv1.GetSiteRequest) (*civindexv1.GetSiteResponse, error) {
	if err := checkID("id", req.GetId()); err != nil {
		return nil, err
	}
	s, err := h.svc.Sites.Get(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &civindexv1.GetSiteResponse{Site: siteToProto(s)}, nil
}

func (h *siteHandler) ListSites(ctx context.Context, req *civindexv1.ListSitesRequest) (*civindexv1.ListSitesResponse, error) {
	var v apierr.Violations
	page := paging.Parse(&v, req.GetPageSize(), req.GetPageToken(), 100, 500)
	f := siteFilter{Unit: strings.TrimSpace(req.GetUnit())}
	v.Text("unit", f.Unit, maxUnitLen)
	if c := req.GetCategory(); c != civindexv1.SiteCategory_SITE_CATEGORY_UNSPECIFIED {
		if f.Category = categoryFromProto(c); f.Category == "" {
			v.Add("category", "unknown category %d", c)
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	sites, err := h.svc.Sites.List(ctx, f, page.After, page.Size)
	if err != nil {
		return nil, err
	}
	resp := &civindexv1.ListSitesResponse{}
	resp.Sites, resp.NextPageToken = paging.Map(page, sites, siteToProto, func(s Site) string { return s.ID })
	return resp, nil
}

func (h *siteHandler) UpdateSite(ctx context.Context, req *civindexv1.UpdateSiteRequest) (*civindexv1.UpdateSiteResponse, error) {
	var v apierr.Violations
	requireID(&v, "id", req.GetId())
	c := validSite(req.GetSite(), &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	s, err := h.svc.Sites.Update(ctx, req.GetId(), c)
	if err != nil {
		return nil, err
	}
	return &civindexv1.UpdateSiteResponse{Site: siteToProto(s)}, nil
}

func (h *siteHandler) DeleteSite(ctx context.Context, req *civindexv1.DeleteSiteRequest) (*civindexv1.DeleteSiteResponse, error) {
	if err := checkID("id", req.GetId()); err != nil {
		return nil, err
	}
	if err := h.svc.Sites.Delete(ctx, req.GetId()); err != nil {
		return nil, err
	}
	return &civindexv1.DeleteSiteResponse{}, nil
}
