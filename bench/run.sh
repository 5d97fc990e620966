#!/usr/bin/env bash
# Runs every benchmark against a Release build and prints the lines that go into bench/RESULTS.md.
#   ./yq bench            (calls bench/run.sh build/release)
set -euo pipefail
BUILD=$1
HERE=$(cd "$(dirname "$0")" && pwd)
echo "### OCSP (bench/ocsp_wrk.sh)"
"$HERE/ocsp_wrk.sh" "$BUILD"
echo
echo "### CRL (crl_bench)"
"$BUILD/crl_bench"
echo
echo "### signHash (signhash_bench)"
"$BUILD/signhash_bench"
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
