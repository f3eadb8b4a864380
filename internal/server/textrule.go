package server

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"

	"github.com/wenming/wenming/internal/apierr"
	"github.com/wenming/wenming/internal/textrule"
)

// textRule refuses a request any of whose strings breaks the text rule
// (package textrule), before a handler, a batch or the database sees it.
func textRule(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
	if m, ok := req.(proto.Message); ok {
		var v apierr.Violations
		textrule.Check(&v, m.ProtoReflect())
		if err := v.Err(); err != nil {
			return nil, err
		}
	}
	return next(ctx, req)
}
