#!/usr/bin/env bash
# Set-up (README "Quick start", and CI): the npm packages package-lock.json pins (Node.js 22
# included), then nginx with its njs module, in which test/edge runs the edge's nginx.conf.
# nginx comes from the system's packages (Debian/Ubuntu: apt-get, as root or through sudo);
# nothing is installed when /usr/sbin/nginx and the njs module are already there.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund

NJS_MODULE=ngx_http_js_module.so
# openssl makes the test CA and certificates of the edge's https-origin tests.
have_nginx() {
  [ -x /usr/sbin/nginx ] && { [ -e /usr/lib/nginx/modules/$NJS_MODULE ] || [ -e /usr/share/nginx/modules/$NJS_MODULE ]; } &&
    command -v openssl >/dev/null 2>&1 && [ -e /etc/ssl/certs/ca-certificates.crt ]
}
if have_nginx; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: nginx with the njs module is needed for test/edge; install nginx at /usr/sbin/nginx and openssl (Debian/Ubuntu: apt-get install -y nginx libnginx-mod-http-js openssl)" >&2
  exit 1
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo)
fi

# The package's post-install script starts a system nginx on port 80, which the tests do not
# use and which fails the install where port 80 is taken. policy-rc.d answering 101 ("action
# forbidden") is Debian's way to install a service without starting it; one already in place
# is the system's and is left alone.
policy=/usr/sbin/policy-rc.d
added_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
  "${as_root[@]}" chmod 755 "$policy"
  added_policy=true
fi
remove_policy() {
  if [ "$added_policy" = true ]; then "${as_root[@]}" rm -f "$policy"; fi
}
trap remove_policy EXIT

"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx libnginx-mod-http-js openssl ca-certificates
have_nginx || { echo "setup: nginx, its njs module or openssl is still missing after the install" >&2; exit 1; }
