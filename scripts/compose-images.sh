#!/usr/bin/env bash
# Builds the images docker-compose.local.yml names, without any registry: the Java base
# (scripts/jre-image.sh: debootstrap + docker import, cached), on it the four services (the
# repository's Dockerfile with their exec jars), Kafka from the Kafka jars on Maven Central, the
# MongoDB stand-in (mongo-java-server) and S3Proxy (deploy/compose/Dockerfile, class path from the
# module compose). Needs the build first: ./mvnw -B package -DskipTests
# Docker's layer cache makes a rebuild with unchanged jars take seconds. Usage:
#   scripts/compose-images.sh [tag]        (default tag: local)
set -euo pipefail
cd "$(dirname "$0")/.."
TAG=${1:-${GRIDRUN_IMAGE_TAG:-local}}
BASE=gridrun/jre:17-debian
KAFKA_VERSION=4.1.2
SERVICES=(api-gateway job-service snapshot-service runner-service)

scripts/jre-image.sh "$BASE"

IMAGE=compose/target/image
for needed in "$IMAGE/lib" "$IMAGE/s3proxy/s3proxy.jar" compose/target/classes; do
  [ -e "$needed" ] || { echo "missing $needed: build first (./mvnw -B package -DskipTests)" >&2; exit 1; }
done
for service in "${SERVICES[@]}"; do
  compgen -G "$service/target/$service-*-exec.jar" >/dev/null \
    || { echo "missing $service/target/$service-*-exec.jar: build first (./mvnw -B package -DskipTests)" >&2; exit 1; }
done

start=$(date +%s)
rm -rf "$IMAGE/classes"
cp -r compose/target/classes "$IMAGE/classes"
cp deploy/compose/kafka-entrypoint.sh deploy/compose/s3proxy-entrypoint.sh "$IMAGE/"
# the legacy builder's deprecation notice is noise; the output is shown when a build fails
quietly() {
  local out
  out=$("$@" 2>&1) || { echo "$out" >&2; return 1; }
}
build() { # target tag
  quietly docker build -q --build-arg BASE="$BASE" --target "$1" -t "$2" -f deploy/compose/Dockerfile "$IMAGE"
  echo "built $2"
}
build kafka "gridrun/kafka:$KAFKA_VERSION-$TAG"
build mongo "gridrun/mongo-standin:$TAG"
build s3proxy "gridrun/s3proxy:$TAG"

# each service from a context holding only its jar (the repository is large)
for service in "${SERVICES[@]}"; do
  ctx=$(mktemp -d)
  mkdir -p "$ctx/$service/target"
  cp "$service"/target/"$service"-*-exec.jar "$ctx/$service/target/"
  quietly docker build -q --build-arg BASE="$BASE" --build-arg SERVICE="$service" \
    -t "gridrun/$service:$TAG" -f Dockerfile "$ctx"
  rm -rf "$ctx"
  echo "built gridrun/$service:$TAG"
done
echo "images ready in $(( $(date +%s) - start )) s"
