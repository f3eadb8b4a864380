package server

import (
	"github.com/wenming/wenming/internal/civindex"
	"github.com/wenming/wenming/internal/feedback"
	"github.com/wenming/wenming/internal/quiz"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/web"
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

// webApps lists the browser apps served on the HTTP port beside the
// gateway (which owns /v1/). Each is a client of the API over env.Conn.
func webApps(env web.Env) ([]web.App, error) {
	var out []web.App
	for _, build := range []func(web.Env) (web.App, error){
		// one line per app, e.g. feedbackform.New
	} {
		app, err := build(env)
		if err != nil {
			return nil, err
		}
		out = append(out, app)
	}
	return out, nil
}
