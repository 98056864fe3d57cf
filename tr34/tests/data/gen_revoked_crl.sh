#!/bin/sh
# Generates test-pki/certs/ca_kdh_revoked_kdh_1.crl.pem: a CRL by the test CA KDH that lists
# kdh_1 (serial 7E340101) as revoked. Run from tr34/tests/data/. Needs OpenSSL 3.
set -e
D=$(mktemp -d)
printf 'R\t450101000000Z\t250601000000Z\t7E340101\tunknown\t/C=US/O=TR34 Test Vectors - NOT FOR PRODUCTION/CN=TR34 Test KDH 1\n' > "$D/index.txt"
echo 01 > "$D/crlnumber"
cat > "$D/ca.cnf" <<CNF
[ ca ]
default_ca = t
[ t ]
database = $D/index.txt
crlnumber = $D/crlnumber
default_md = sha256
default_crl_days = 7300
CNF
openssl ca -batch -config "$D/ca.cnf" -gencrl -keyfile test-pki/keys/ca_kdh.key.pem \
  -cert test-pki/certs/ca_kdh.cert.pem -out test-pki/certs/ca_kdh_revoked_kdh_1.crl.pem
rm -rf "$D"
