#!/usr/bin/python3
# An independent verifier for the transparency log's proofs, written from RFC 9162 §2.1 with Python's hashlib only
# (no code shared with the C++ under test). Used by tests/e2e/transparency_e2e.cpp as an outside client would.
#
#   rfc9162_verify.py inclusion PROOF.json OUTDIR   → checks the audit path; writes OUTDIR/tbs.bin (RFC 6962 §3.5
#                                                     TreeHeadSignature) and OUTDIR/sig.der for `openssl dgst -verify`
#   rfc9162_verify.py consistency FIRST_SIZE FIRST_ROOT_B64 SECOND_SIZE SECOND_ROOT_B64 PATH_JSON
# Prints "inclusion OK" / "consistency OK", or what failed, and exits 0 / 1.
import base64, hashlib, json, struct, sys


def node(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(leaf_hash, index, size, path, root):  # §2.1.3.2
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, first_root, second_root, path):  # §2.1.4.2
    if first == second:
        return not path and first_root == second_root
    if first == 0 or not path:
        return first == 0 and not path
    if first & (first - 1) == 0:
        path = [first_root] + path
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_root and sr == second_root and sn == 0


def main():
    if sys.argv[1] == "inclusion":
        bundle = json.load(open(sys.argv[2]))
        sth = bundle["sth"]
        leaf = hashlib.sha256(b"\x00" + bundle["leaf_data"].encode("utf-8")).digest()
        root = base64.b64decode(sth["sha256_root_hash"])
        path = [base64.b64decode(p) for p in bundle["audit_path"]]
        if not verify_inclusion(leaf, bundle["leaf_index"], sth["tree_size"], path, root):
            print("inclusion FAILED")
            return 1
        tbs = struct.pack(">BBQQ", 0, 1, sth["timestamp"], sth["tree_size"]) + root
        signed = base64.b64decode(sth["tree_head_signature"])
        hash_alg, sig_alg, length = signed[0], signed[1], struct.unpack(">H", signed[2:4])[0]
        if hash_alg != 4 or sig_alg not in (1, 3) or length != len(signed) - 4:
            print("tree head signature is not a DigitallySigned with SHA-256")
            return 1
        open(sys.argv[3] + "/tbs.bin", "wb").write(tbs)
        open(sys.argv[3] + "/sig.der", "wb").write(signed[4:])
        open(sys.argv[3] + "/log.der", "wb").write(base64.b64decode(bundle["log_certificate"]))
        print("inclusion OK")
        return 0
    first, second = int(sys.argv[2]), int(sys.argv[4])
    ok = verify_consistency(first, second, base64.b64decode(sys.argv[3]), base64.b64decode(sys.argv[5]),
                            [base64.b64decode(p) for p in json.loads(sys.argv[6])])
    print("consistency OK" if ok else "consistency FAILED")
    return 0 if ok else 1


sys.exit(main())
