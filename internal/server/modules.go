package server

import (
	"github.com/wenming/wenming/internal/account"
	"github.com/wenming/wenming/internal/civindex/supervision"
	"github.com/wenming/wenming/internal/feedback"
	"github.com/wenming/wenming/internal/quiz"
	"github.com/wenming/wenming/internal/rpc"
	"github.com/wenming/wenming/internal/survey"
	"github.com/wenming/wenming/internal/web"
	"github.com/wenming/wenming/internal/web/console"
	"github.com/wenming/wenming/internal/web/feedbackform"
	"github.com/wenming/wenming/internal/web/kiosk"
	"github.com/wenming/wenming/internal/web/surveyform"
)

// domains lists every domain the process serves, each by its constructor:
// every domain is built the same way, New(rpc.Deps, ...ServiceOption)
// (*Service, error), and its Services method lists its gRPC services.
var domains = []func(rpc.Deps) ([]rpc.Service, error){
	domain(account.New),
	domain(quiz.New),
	domain(feedback.New),
	domain(supervision.New), // civindex with supervision (builds civindex.New with its hooks)
	domain(survey.New),
}

// domain adapts a domain's New to the list above.
func domain[S interface{ Services() []rpc.Service }, O any](build func(rpc.Deps, ...O) (S, error)) func(rpc.Deps) ([]rpc.Service, error) {
	return func(d rpc.Deps) ([]rpc.Service, error) {
		s, err := build(d)
		if err != nil {
			return nil, err
		}
		return s.Services(), nil
	}
}

// services builds every domain over d. New refuses to start if any fails
// or if any registered method lacks an access rule.
func services(d rpc.Deps) ([]rpc.Service, error) {
	var out []rpc.Service
	for _, build := range domains {
		svcs, err := build(d)
		if err != nil {
			return nil, err
		}
		out = append(out, svcs...)
	}
	return out, nil
}

// webApps lists the browser apps served on the HTTP port beside the
// gateway (which owns /v1/). Each is a client of the API over env.Conn.
func webApps(env web.Env) ([]web.App, error) {
	var out []web.App
	for _, build := range []func(web.Env) (web.App, error){
		feedbackform.New,
		kiosk.New,
		console.New,
		surveyform.New,
	} {
		app, err := build(env)
		if err != nil {
			return nil, err
		}
		out = append(out, app)
	}
	return out, nil
}
