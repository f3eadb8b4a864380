// Package server builds the wenming process: the gRPC server with its
// interceptor chain (request id, metrics, logging, error mapping, panic
// recovery, auth), the HTTP side (grpc-gateway dialled in-process over
// bufconn so every interceptor runs once for HTTP callers too, /healthz,
// /readyz, /metrics), health and reflection, and graceful shutdown.
package server
