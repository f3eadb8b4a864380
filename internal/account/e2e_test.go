package account_test

import (
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	accountv1 "github.com/wenming/wenming/gen/go/wenming/account/v1"
	"github.com/wenming/wenming/internal/auth"
	"github.com/wenming/wenming/internal/testserver"
)

func TestEveryRoleTradesItsKeyForASessionAndAnonymousCannot(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		c := accountv1.NewSessionServiceClient(s.Conn)
		anon := testserver.KeyCtx("")
		if _, err := c.CreateSession(anon, &accountv1.CreateSessionRequest{}); status.Code(err) != codes.Unauthenticated {
			t.Errorf("anonymous CreateSession: %v", err)
		}
		if _, err := c.GetCaller(anon, &accountv1.GetCallerRequest{}); status.Code(err) != codes.Unauthenticated {
			t.Errorf("anonymous GetCaller: %v", err)
		}
		if _, err := c.DeleteSession(anon, &accountv1.DeleteSessionRequest{}); status.Code(err) != codes.Unauthenticated {
			t.Errorf("anonymous DeleteSession: %v", err)
		}
		for _, role := range auth.Roles {
			created, err := c.CreateSession(s.Ctx(role), &accountv1.CreateSessionRequest{})
			if err != nil {
				t.Fatalf("%s: CreateSession: %v", role, err)
			}
			if created.GetCaller().GetRole() != string(role) || created.GetSession().GetIdleTimeoutSeconds() != 1800 {
				t.Errorf("%s: created %v", role, created)
			}
			byKey, err := c.GetCaller(s.Ctx(role), &accountv1.GetCallerRequest{})
			if err != nil || byKey.GetSession() != nil || byKey.GetCaller().GetRole() != string(role) {
				t.Errorf("%s: GetCaller with the key = %v, %v", role, byKey, err)
			}
			sctx := testserver.KeyCtx(created.GetToken())
			got, err := c.GetCaller(sctx, &accountv1.GetCallerRequest{})
			if err != nil || got.GetCaller().GetKeyId() != byKey.GetCaller().GetKeyId() ||
				got.GetSession().GetId() != created.GetSession().GetId() {
				t.Errorf("%s: GetCaller with the session = %v, %v", role, got, err)
			}
			if _, err := c.CreateSession(sctx, &accountv1.CreateSessionRequest{}); status.Code(err) != codes.FailedPrecondition {
				t.Errorf("%s: a session started another: %v", role, err)
			}
			if _, err := c.DeleteSession(s.Ctx(role), &accountv1.DeleteSessionRequest{}); status.Code(err) != codes.FailedPrecondition {
				t.Errorf("%s: DeleteSession with a key: %v", role, err)
			}
			if _, err := c.DeleteSession(sctx, &accountv1.DeleteSessionRequest{}); err != nil {
				t.Fatalf("%s: DeleteSession: %v", role, err)
			}
			if _, err := c.GetCaller(sctx, &accountv1.GetCallerRequest{}); status.Code(err) != codes.Unauthenticated {
				t.Errorf("%s: signed-out session still works: %v", role, err)
			}
		}
	})
}

// The session acts with its key's role: an analyst's session reads but is
// refused a write, over the JSON gateway as over gRPC.
func TestASessionHasItsKeysRightsOverHTTP(t *testing.T) {
	t.Parallel()
	testserver.Each(t, func(t *testing.T, s *testserver.Server) {
		resp := s.Do(t, auth.Analyst, "POST", "/v1/sessions", map[string]any{})
		if resp.Status != 200 {
			t.Fatalf("POST /v1/sessions: %d %s", resp.Status, resp.Body)
		}
		token, _ := resp.JSON(t)["token"].(string)
		if got := s.DoKey(t, token, "GET", "/v1/caller", nil); got.Status != 200 ||
			got.JSON(t)["caller"].(map[string]any)["role"] != "analyst" {
			t.Errorf("GET /v1/caller: %d %s", got.Status, got.Body)
		}
		if got := s.DoKey(t, token, "POST", "/v1/rounds", map[string]any{"name": "x"}); got.Status != 403 {
			t.Errorf("analyst session creating a round: %d %s", got.Status, got.Body)
		}
		if got := s.DoKey(t, token, "POST", "/v1/sessions:delete", map[string]any{}); got.Status != 200 {
			t.Errorf("sign-out: %d %s", got.Status, got.Body)
		}
		if got := s.DoKey(t, token, "GET", "/v1/caller", nil); got.Status != 401 {
			t.Errorf("after sign-out: %d %s", got.Status, got.Body)
		}
	})
}
