#!/usr/bin/env bash
# Builds the container image (Dockerfile) from a static binary and tries it
# as an operator would: host networking on 127.0.0.1 ports, a named volume
# on /data, /readyz, one rating written, the container replaced by a new
# one on the same volume, the rating read back, a backup taken inside it.
#
# Needs a Docker daemon. When `docker info` fails and we are root, it starts
# dockerd in the background (host networking only, so no bridge or iptables
# are needed) and stops it again at the end. When no daemon can be had it
# prints SKIP and exits 0, so .ci/run stays green on machines without one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

skip() {
  echo "SKIP docker-test: $*" >&2
  exit 0
}
say() { printf 'docker-test: %s\n' "$*" >&2; }

dockerd_pid=""
start_docker() {
  docker info >/dev/null 2>&1 && return 0
  command -v docker >/dev/null || skip "no docker client (Debian: apt-get install docker.io)"
  command -v dockerd >/dev/null || skip "no Docker daemon running and no dockerd to start (Debian: apt-get install docker.io)"
  [[ "$(id -u)" == 0 ]] || skip "no Docker daemon running, and starting dockerd needs root"
  mkdir -p .artifacts
  say "starting dockerd (log: .artifacts/dockerd.log)"
  dockerd --iptables=false --bridge=none >.artifacts/dockerd.log 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    kill -0 "$dockerd_pid" 2>/dev/null || break
    sleep 0.5
  done
  tail -5 .artifacts/dockerd.log >&2 || true
  skip "dockerd did not start here (see .artifacts/dockerd.log)"
}

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  echo "no free port found" >&2
  return 1
}

start_docker

id=wenming-test-$$
tag=wenming:$id
container=""
cleanup() {
  set +e # every step runs, whatever the one before did
  [[ -n "$container" ]] && docker rm -f "$container" >/dev/null 2>&1
  docker volume rm "$id" >/dev/null 2>&1
  docker rmi "$tag" >/dev/null 2>&1
  if [[ -n "$dockerd_pid" ]]; then
    kill "$dockerd_pid" 2>/dev/null && wait "$dockerd_pid" 2>/dev/null
  fi
  return 0
}
trap cleanup EXIT

arch=$(go env GOARCH)
say "building the static binary (linux/$arch) and the image"
CGO_ENABLED=0 GOOS=linux GOARCH="$arch" go build -trimpath -tags timetzdata -o "bin/linux-$arch/wenming" ./cmd/wenming
mkdir -p bin/data
docker build -q --build-arg TARGETARCH="$arch" -t "$tag" -f Dockerfile bin >/dev/null
[[ "$(docker image inspect -f '{{.Config.User}}' "$tag")" == "65532:65532" ]] || { say "FAIL: image does not run as 65532"; exit 1; }

http=$(free_port)
grpc=$(free_port)
base="http://127.0.0.1:$http"
secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
docker volume create "$id" >/dev/null
# Every command but serve and migrate refuses a database that does not
# exist, so the volume's database is made first.
docker run --rm -v "$id:/data" "$tag" migrate >/dev/null
admin=$(docker run --rm -v "$id:/data" "$tag" apikey create --role admin --name docker-test)

run_server() {
  container=$(docker run -d --name "$id" --network host -v "$id:/data" \
    -e WENMING_SECRET_KEY="$secret" -e WENMING_HTTP_ADDR="127.0.0.1:$http" -e WENMING_GRPC_ADDR="127.0.0.1:$grpc" \
    "$tag")
  for _ in $(seq 1 120); do
    if curl -fsS "$base/readyz" >/dev/null 2>&1; then
      return 0
    fi
    if [[ "$(docker inspect -f '{{.State.Running}}' "$container")" != true ]]; then
      break
    fi
    sleep 0.5
  done
  docker logs "$container" >&2 || true
  say "FAIL: the container never answered $base/readyz"
  exit 1
}

api() { # METHOD PATH [BODY]
  curl -fsS -X "$1" -H "Authorization: Bearer $admin" "$base$2" ${3:+-d "$3"}
}

say "first container on 127.0.0.1:$http (HTTP) and :$grpc (gRPC)"
run_server
target=$(api POST /v1/feedback/targets '{"kind":"TARGET_KIND_DEPARTMENT","name":"政务服务中心"}' | jq -r .target.id)
rating=$(api POST /v1/feedback/ratings "{\"targetId\":\"$target\",\"level\":5,\"comment\":\"很方便\",\"requestId\":\"docker-test-1\"}" | jq -r .ratingId)
[[ -n "$rating" && "$rating" != null ]] || { say "FAIL: no rating id"; exit 1; }
if docker run --rm "$tag" --help 2>&1 | grep -q healthcheck; then
  docker exec "$container" /wenming healthcheck || { say "FAIL: wenming healthcheck inside the container"; exit 1; }
else
  say "NOTE: this build has no 'wenming healthcheck' yet; the image's HEALTHCHECK will report unhealthy"
fi
docker exec "$container" /wenming backup --to /data/docker-test-backup.db --secret-key "$secret" >/dev/null

say "replacing the container; same volume"
docker rm -f "$container" >/dev/null
container=""
run_server
today=$(date -u +%F)
from=$(date -u -d yesterday +%F)
to=$(date -u -d tomorrow +%F)
csv=$(api GET "/v1/feedback/exports/ratings?startDate=$from&endDate=$to&targetId=$target" | jq -r .csv)
if ! grep -q "$rating" <<<"$csv"; then
  echo "$csv" >&2
  say "FAIL: rating $rating written before the restart is gone"
  exit 1
fi
again=$(api POST /v1/feedback/ratings "{\"targetId\":\"$target\",\"level\":5,\"comment\":\"很方便\",\"requestId\":\"docker-test-1\"}" | jq -r .ratingId)
[[ "$again" == "$rating" ]] || { say "FAIL: a retried request id after restart gave $again, want $rating"; exit 1; }
docker exec "$container" /wenming restore --from /data/docker-test-backup.db --db sqlite:/data/drill.db >/dev/null
say "ok: image $tag ($(docker image inspect -f '{{.Size}}' "$tag") bytes) served, kept rating $rating across containers on $today, backed up and restored inside"
