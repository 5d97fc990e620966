#!/usr/bin/env bash
# OCSP throughput over loopback: wrk against yunqian's /ocsp and, in the same run, against `openssl ocsp -index … -port`
# (2 responder processes, a software key) answering for the same certificates. Prints both rates and the ratio.
#   bench/ocsp_wrk.sh BUILD_DIR      (env: CERTS=50 DURATION=10s CONNECTIONS=64 THREADS=2)
set -euo pipefail
BUILD=$(cd "$1" && pwd)
CERTS=${CERTS:-50} DURATION=${DURATION:-10s} CONNECTIONS=${CONNECTIONS:-64} THREADS=${THREADS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=$BUILD/yunqian
W=$(mktemp -d /tmp/yq-bench-ocsp.XXXXXX)
# Child processes are stopped by PID, never by a name pattern (#19). openssl ocsp -multi forks children that spin once
# their parent is gone; its parent puts itself and them in a process group of its own (setpgid(0, 0), which is why it
# must not run under setsid), so the whole group is killed by its id — the parent's PID.
SERVE_PID="" OPENSSL_PGID=""
cleanup() {
  if [ -n "$OPENSSL_PGID" ]; then kill -9 -- "-$OPENSSL_PGID" 2>/dev/null || kill -9 "$OPENSSL_PGID" 2>/dev/null || true; fi
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
openssl ocsp -index "$W/index.txt" -port "$OPORT" -rsigner "$W/ocsp.pem" -rkey "$W/ocsp.key" -CA "$W/issuing.pem" \
  -multi 2 -ignore_err > "$W/openssl-ocsp.log" 2>&1 &
OPENSSL_PGID=$!
sleep 1

ours_check=$(check "http://127.0.0.1:$PORT/ocsp")
theirs_check=$(check "http://127.0.0.1:$OPORT")
echo "$ours_check" | grep -q "cert1.pem: good" || { echo "yunqian OCSP check failed: $ours_check"; exit 1; }
echo "$theirs_check" | grep -q "cert1.pem: good" || { echo "openssl OCSP check failed: $theirs_check"; exit 1; }

run_wrk() {
  OCSP_REQ_DIR=$W/req OCSP_REQ_COUNT=$CERTS wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$HERE/ocsp.lua" "$1" 2>&1
}
ours=$(run_wrk "http://127.0.0.1:$PORT")
if [ -n "${PERF_RECORD:-}" ]; then  # optional: profile the server under the same load
  perf record -g -p "$SERVE_PID" -o "$PERF_RECORD" -- sleep 5 >/dev/null 2>&1 &
  run_wrk "http://127.0.0.1:$PORT" >/dev/null; wait $! || true
fi
theirs=$(run_wrk "http://127.0.0.1:$OPORT")
rate() { echo "$1" | awk '/Requests\/sec/ { print $2 }'; }
errors() { echo "$1" | awk '/Non-2xx|Socket errors/ { print }'; }
r_ours=$(rate "$ours"); r_theirs=$(rate "$theirs")
[ -n "$r_ours" ] && [ -n "$r_theirs" ] || { echo "wrk gave no rate: $ours $theirs"; exit 1; }
echo "== yunqian /ocsp ($CERTS certificates, wrk -t$THREADS -c$CONNECTIONS -d$DURATION)"; echo "$ours" | sed 's/^/   /'
echo "== openssl ocsp -index -multi 2 (same certificates, same wrk)"; echo "$theirs" | sed 's/^/   /'
printf '\nOCSP: yunqian %.0f responses/s, openssl ocsp %.0f responses/s, ratio %.1fx\n' "$r_ours" "$r_theirs" \
  "$(echo "$r_ours / $r_theirs" | bc -l)"
