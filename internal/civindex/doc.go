// Package civindex is the public-civilization index: indicator frameworks,
// sites, rounds, inspections and the index the testing team queries.
package civindex

import "github.com/wenming/wenming/internal/rpc"

// Services returns the civility-index gRPC services.
func Services(rpc.Deps) []rpc.Service { return nil }
