#!/usr/bin/python3
# Checks a signed validation report (a compact JWS, RFC 7515) with an independent JOSE library (Debian's
# python3-jwcrypto): the key is the certificate in the header's x5c. Prints "jws OK <alg>" and the payload's first
# indication, or "jws FAILED: <why>"; exits 0 / 1. The certificate's chain is checked separately (openssl verify).
import base64, json, sys

from jwcrypto import jwk, jws

token = open(sys.argv[1]).read().strip()
try:
    header = json.loads(base64.urlsafe_b64decode(token.split('.')[0] + '=' * (-len(token.split('.')[0]) % 4)))
    der = base64.b64decode(header['x5c'][0])
    pem = b'-----BEGIN CERTIFICATE-----\n' + base64.encodebytes(der) + b'-----END CERTIFICATE-----\n'
    if len(sys.argv) > 2:
        open(sys.argv[2], 'wb').write(pem)
    signed = jws.JWS()
    signed.deserialize(token)
    signed.verify(jwk.JWK.from_pem(pem), alg=header['alg'])
    report = json.loads(signed.payload)
    print('jws OK ' + header['alg'] + ' ' + report['signatures'][0]['indication'])
except Exception as e:  # a check: any failure is the verdict
    print('jws FAILED: ' + type(e).__name__)
    sys.exit(1)
