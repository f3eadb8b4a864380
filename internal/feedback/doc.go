// Package feedback is service-satisfaction rating (好差评): targets, ratings,
// statistics and the bad-review cases that must be answered within a number
// of working days.
package feedback

import "github.com/wenming/wenming/internal/rpc"

// Services returns the feedback gRPC services.
func Services(rpc.Deps) []rpc.Service { return nil }
