#!/usr/bin/env bash
# OCSP throughput over loopback: wrk against yunqian's /ocsp and, in the same run, against `openssl ocsp -index … -port`
# (2 responder processes, a software key) answering for the same certificates, and against nginx (Debian's
# nginx-light, 2 workers) returning one pre-made OCSP response as a static file: the ceiling for any responder on this
# machine (#19). RUNS rounds of the three, one after the other; prints every round and the ratios.
#   bench/ocsp_wrk.sh BUILD_DIR      (env: CERTS=50 DURATION=10s CONNECTIONS=64 THREADS=2 RUNS=5)
set -euo pipefail
BUILD=$(cd "$1" && pwd)
CERTS=${CERTS:-50} DURATION=${DURATION:-10s} CONNECTIONS=${CONNECTIONS:-64} THREADS=${THREADS:-2} RUNS=${RUNS:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=$BUILD/yunqian
W=$(mktemp -d /tmp/yq-bench-ocsp.XXXXXX)
# Child processes are stopped by PID, never by a name pattern (#19). openssl ocsp -multi forks children that spin once
# their parent is gone; its parent puts itself and them in a process group of its own (setpgid(0, 0), which is why it
# must not run under setsid), so the whole group is killed by its id — the parent's PID.
SERVE_PID="" OPENSSL_PGID="" NGINX_PID=""
cleanup() {
  if [ -n "$OPENSSL_PGID" ]; then kill -9 -- "-$OPENSSL_PGID" 2>/dev/null || kill -9 "$OPENSSL_PGID" 2>/dev/null || true; fi
  if [ -n "$NGINX_PID" ]; then kill "$NGINX_PID" 2>/dev/null; wait "$NGINX_PID" 2>/dev/null || true; fi
  if [ -n "$SERVE_PID" ]; then kill "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null || true; fi
  [ -n "${KEEP_BENCH_DIR:-}" ] || rm -rf "$W"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

HOME_DIR=$W/home
mkdir -p "$HOME_DIR" "$W/req"
echo '{"log": {"level": "warn"}}' > "$HOME_DIR/yunqian.json"
"$BIN" --home "$HOME_DIR" init >/dev/null
PORT=$(free_port)
"$BIN" --home "$HOME_DIR" serve --listen 127.0.0.1:"$PORT" > "$W/serve.log" 2>&1 &
SERVE_PID=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done
curl -sf "http://127.0.0.1:$PORT/repo/issuing.crt" | openssl x509 -inform DER -out "$W/issuing.pem"
curl -sf "http://127.0.0.1:$PORT/repo/root.crt" | openssl x509 -inform DER -out "$W/root.pem"

for i in $(seq "$CERTS"); do
  openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout "$W/k.pem" \
    -subj "/O=Bench Agency/CN=Signer $i/serialNumber=B-$i" -out "$W/c.csr" 2>/dev/null
  "$BIN" --home "$HOME_DIR" ca issue --profile signer --csr "$W/c.csr" --out "$W/cert$i.pem" >/dev/null
  openssl ocsp -issuer "$W/issuing.pem" -cert "$W/cert$i.pem" -no_nonce -reqout "$W/req/$i.der" >/dev/null
done
# correctness before speed: both responders must say "good" with a verifying signature
check() { timeout 10 openssl ocsp -issuer "$W/issuing.pem" -cert "$W/cert1.pem" -url "$1" -CAfile "$W/root.pem" -no_nonce 2>&1; }

# the anchor: openssl's responder with a software key and certificate from our CA (profile ocsp)
openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -keyout "$W/ocsp.key" -subj "/CN=openssl ocsp" \
  -out "$W/ocsp.csr" 2>/dev/null
"$BIN" --home "$HOME_DIR" ca issue --profile ocsp --csr "$W/ocsp.csr" --out "$W/ocsp.pem" >/dev/null
"$BIN" --home "$HOME_DIR" ca list | awk '{ printf "V\t301231000000Z\t\t%s\tunknown\t/CN=%s\n", toupper($1), NR }' > "$W/index.txt"
OPORT=$(free_port)
# Started afresh for its turn in every round and stopped right after it: once wrk has been at it, its children keep
# spinning on the closed connections (seen 2026-12-07: they answered nothing in the next round and took the CPU from
# whichever responder was measured next, nginx included).
stop_openssl_ocsp() {
  if [ -n "$OPENSSL_PGID" ]; then kill -9 -- "-$OPENSSL_PGID" 2>/dev/null || true; wait "$OPENSSL_PGID" 2>/dev/null || true; fi
  OPENSSL_PGID=""
}
start_openssl_ocsp() {
  stop_openssl_ocsp
  openssl ocsp -index "$W/index.txt" -port "$OPORT" -rsigner "$W/ocsp.pem" -rkey "$W/ocsp.key" -CA "$W/issuing.pem" \
    -multi 2 -ignore_err >> "$W/openssl-ocsp.log" 2>&1 &
  OPENSSL_PGID=$!
  for _ in $(seq 50); do check "http://127.0.0.1:$OPORT" | grep -q "cert1.pem: good" && return 0; sleep 0.2; done
  echo "openssl ocsp did not start: $(tail -5 "$W/openssl-ocsp.log")"; exit 1
}
start_openssl_ocsp

ours_check=$(check "http://127.0.0.1:$PORT/ocsp")
theirs_check=$(check "http://127.0.0.1:$OPORT")
echo "$ours_check" | grep -q "cert1.pem: good" || { echo "yunqian OCSP check failed: $ours_check"; exit 1; }
echo "$theirs_check" | grep -q "cert1.pem: good" || { echo "openssl OCSP check failed: $theirs_check"; exit 1; }
stop_openssl_ocsp

# the ceiling: nginx serving one real OCSP response from our responder as a static file (a POST to a static file is a
# 405, which error_page turns into the file), in the foreground (daemon off) so that its PID is the master's
command -v nginx >/dev/null || { echo "nginx is missing: ./yq bench installs scripts/debian-bench-packages.txt"; exit 1; }
mkdir -p "$W/static" "$W/nginx-tmp"
chmod 755 "$W"
curl -sf --data-binary @"$W/req/1.der" -H 'Content-Type: application/ocsp-request' "http://127.0.0.1:$PORT/ocsp" \
  -o "$W/static/response.der"
chmod 644 "$W/static/response.der"
NPORT=$(free_port)
cat > "$W/nginx.conf" <<CONF
daemon off;
worker_processes 2;
pid $W/nginx.pid;
error_log $W/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $W/nginx-tmp;
  proxy_temp_path $W/nginx-tmp;
  fastcgi_temp_path $W/nginx-tmp;
  uwsgi_temp_path $W/nginx-tmp;
  scgi_temp_path $W/nginx-tmp;
  server {
    listen 127.0.0.1:$NPORT;
    root $W/static;
    default_type application/ocsp-response;
    location / { rewrite ^ /response.der break; error_page 405 =200 /response.der; }
  }
}
CONF
nginx -p "$W" -c "$W/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 50); do curl -sf -o /dev/null --data-binary x "http://127.0.0.1:$NPORT/ocsp" && break; sleep 0.1; done
cmp -s <(curl -sf --data-binary @"$W/req/1.der" "http://127.0.0.1:$NPORT/ocsp") "$W/static/response.der" ||
  { echo "nginx does not serve the OCSP response: $(cat "$W/nginx-error.log")"; exit 1; }

run_wrk() {
  OCSP_REQ_DIR=$W/req OCSP_REQ_COUNT=$CERTS wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$HERE/ocsp.lua" "$1" 2>&1
}
rate() { echo "$1" | awk '/Requests\/sec/ { print $2 }'; }
latency() { echo "$1" | awk '$1 == "Latency" { print $2 }'; }
problems() { echo "$1" | awk '/Non-2xx|Socket errors/ { printf "%s; ", $0 }'; }
if [ -n "${PERF_RECORD:-}" ]; then  # optional: profile the server under the same load
  perf record -g -p "$SERVE_PID" -o "$PERF_RECORD" -- sleep 5 >/dev/null 2>&1 &
  run_wrk "http://127.0.0.1:$PORT" >/dev/null; wait $! || true
fi
echo "OCSP over loopback, $CERTS certificates, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $RUNS rounds"
echo "| round | yunqian /ocsp | openssl ocsp -multi 2 | nginx static (ceiling) | yunqian ÷ openssl | yunqian ÷ nginx |"
echo "|---:|---:|---:|---:|---:|---:|"
ratios=()
for round in $(seq "$RUNS"); do
  ours=$(run_wrk "http://127.0.0.1:$PORT")
  start_openssl_ocsp
  theirs=$(run_wrk "http://127.0.0.1:$OPORT")
  stop_openssl_ocsp
  ceiling=$(run_wrk "http://127.0.0.1:$NPORT")
  r_ours=$(rate "$ours"); r_theirs=$(rate "$theirs"); r_ceiling=$(rate "$ceiling")
  [ -n "$r_ours" ] && [ -n "$r_theirs" ] && [ -n "$r_ceiling" ] || { echo "wrk gave no rate: $ours $theirs $ceiling"; exit 1; }
  awk -v a="$r_ours" -v b="$r_theirs" -v c="$r_ceiling" 'BEGIN { exit !(a > 0 && b > 0 && c > 0) }' ||
    { echo "a responder answered nothing in round $round:"; echo "$ours"; echo "$theirs"; echo "$ceiling"; exit 1; }
  bad="$(problems "$ours")$(problems "$theirs")$(problems "$ceiling")"
  [ -z "$bad" ] || echo "   (round $round: $bad)"
  ratio=$(echo "$r_ours / $r_theirs" | bc -l)
  ratios+=("$ratio")
  printf '| %d | %.0f/s (%s) | %.0f/s (%s) | %.0f/s (%s) | %.1f× | %.0f %% |\n' "$round" "$r_ours" "$(latency "$ours")" \
    "$r_theirs" "$(latency "$theirs")" "$r_ceiling" "$(latency "$ceiling")" "$ratio" \
    "$(echo "100 * $r_ours / $r_ceiling" | bc -l)"
done
printf '%s\n' "${ratios[@]}" | sort -g | awk '{ v[NR] = $1 } END {
  printf "\nOCSP yunqian ÷ openssl over %d rounds: min %.1f×, median %.1f×, max %.1f×\n", NR, v[1], v[int((NR + 1) / 2)], v[NR] }'
