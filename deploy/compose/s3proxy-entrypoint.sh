#!/bin/sh
# S3Proxy with its file-system backend, signatures required, configured from the environment.
set -eu
BASEDIR=${JCLOUDS_FILESYSTEM_BASEDIR:-/data}
for bucket in ${S3PROXY_BUCKETS:-}; do
  mkdir -p "$BASEDIR/$bucket"
done
cat >/tmp/s3proxy.properties <<PROPERTIES
s3proxy.endpoint=${S3PROXY_ENDPOINT:-http://0.0.0.0:80}
s3proxy.authorization=${S3PROXY_AUTHORIZATION:-aws-v2-or-v4}
s3proxy.identity=${S3PROXY_IDENTITY:?set S3PROXY_IDENTITY}
s3proxy.credential=${S3PROXY_CREDENTIAL:?set S3PROXY_CREDENTIAL}
jclouds.provider=filesystem
jclouds.filesystem.basedir=$BASEDIR
PROPERTIES
exec java -Xmx192m -XX:+UseSerialGC -jar /opt/gridrun/s3proxy.jar --properties /tmp/s3proxy.properties
