#!/usr/bin/env bash
# Runs every benchmark against a Release build and prints the lines that go into bench/RESULTS.md.
#   ./yq bench            (calls bench/run.sh build/release)
set -euo pipefail
BUILD=$1
HERE=$(cd "$(dirname "$0")" && pwd)
echo "### OCSP (bench/ocsp_wrk.sh)"
"$HERE/ocsp_wrk.sh" "$BUILD"
echo
echo "### CRL (crl_bench: 3 runs)"
"$BUILD/crl_bench" --runs 3
echo
echo "### signHash (signhash_bench: 3 runs; authorize/s in the first)"
"$BUILD/signhash_bench" --seconds 5
for run in 2 3; do "$BUILD/signhash_bench" --seconds 5 --no-authorize | tail -n +3; done
echo
echo "### Server memory under 64 mixed clients (memory_bench: 3 runs)"
for run in 1 2 3; do "$BUILD/memory_bench" --seconds 30 | tail -n 1; done
echo
echo "### Four-eyes approval under 32 signers (approval_bench)"
"$BUILD/approval_bench"
echo
echo "### PAdES signing (pades_bench)"
"$BUILD/pades_bench"
echo
echo "### Signing transparency log (transparency_bench)"
"$BUILD/transparency_bench"
echo
echo "### Validation (validate_bench)"
"$BUILD/validate_bench"
