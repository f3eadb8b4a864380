package server

import (
	"github.com/wenming/wenming/internal/civindex"
	"github.com/wenming/wenming/internal/feedback"
	"github.com/wenming/wenming/internal/quiz"
	"github.com/wenming/wenming/internal/rpc"
)

// services lists every domain service the process serves. New refuses to
// start if any registered method lacks an access rule.
func services(d rpc.Deps) []rpc.Service {
	var out []rpc.Service
	out = append(out, quiz.Services(d)...)
	out = append(out, feedback.Services(d)...)
	out = append(out, civindex.Services(d)...)
	return out
}
