#!/bin/sh
# Writes server.properties from KAFKA_* variables (as the apache/kafka image does: drop KAFKA_,
# lower case, _ → ., __ → _, ___ → -), formats the log directory for CLUSTER_ID once, then runs
# the broker (kafka.Kafka) in the foreground.
set -eu
CONF=/tmp/server.properties
: >"$CONF"
env | grep '^KAFKA_' | while IFS='=' read -r name value; do
  case "$name" in
    KAFKA_HEAP_OPTS | KAFKA_OPTS | KAFKA_JVM_PERFORMANCE_OPTS | KAFKA_LOG4J_OPTS | KAFKA_GC_LOG_OPTS) continue ;;
  esac
  key=$(printf '%s' "${name#KAFKA_}" | tr 'A-Z' 'a-z' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')
  printf '%s=%s\n' "$key" "$value" >>"$CONF"
done
CP="/opt/gridrun/classes:/opt/gridrun/lib/*"
: "${CLUSTER_ID:?set CLUSTER_ID (22 characters, base64url, the same on every node)}"
java -Xmx128m -XX:TieredStopAtLevel=1 -cp "$CP" kafka.tools.StorageTool format \
  --cluster-id "$CLUSTER_ID" --config "$CONF" --ignore-formatted
# shellcheck disable=SC2086
exec java ${KAFKA_HEAP_OPTS:-} ${KAFKA_OPTS:-} -XX:+UseSerialGC -cp "$CP" kafka.Kafka "$CONF"
