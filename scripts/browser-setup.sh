#!/usr/bin/env bash
# Makes sure Debian's chromium and chromium-driver are installed (/usr/bin/chromium,
# /usr/bin/chromedriver), for the browser tests (Maven profile `browser`). Used by `./gridrun test`
# and CI on clean machines; Selenium is pointed at these, so nothing is downloaded at test time.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
/usr/bin/chromedriver --version
