# wenming in an image with nothing else in it: one static binary (pure-Go
# SQLite, time zones embedded), run as an unprivileged numeric user, data in
# /data. No base image is pulled; build the binary first, then the image:
#
#   CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -trimpath -tags timetzdata \
#     -o bin/linux-amd64/wenming ./cmd/wenming
#   mkdir -p bin/data && docker build -t wenming -f Dockerfile bin
#
# The build context is bin/, so only the binaries are sent to the daemon.
# (scripts/docker-test.sh does exactly this and tries the image.)
FROM scratch
ARG TARGETARCH=amd64
COPY linux-${TARGETARCH}/wenming /wenming
# An empty directory owned by the service user: a new named volume mounted
# on /data starts with this owner, so the server can create its database.
COPY --chown=65532:65532 data/ /data/
USER 65532:65532
WORKDIR /data
ENV WENMING_DB=sqlite:/data/wenming.db \
    WENMING_GRPC_ADDR=:9090 \
    WENMING_HTTP_ADDR=:8080 \
    WENMING_LOG_FORMAT=json
VOLUME /data
EXPOSE 8080 9090
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["/wenming", "healthcheck"]
ENTRYPOINT ["/wenming"]
CMD ["serve"]
