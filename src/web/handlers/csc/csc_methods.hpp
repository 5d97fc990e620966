#pragma once
// The CSC API's methods, one function each, for either dialect (CSC API v2.0.0.2 and the v1.0.4.0 adapter): each reads
// its request with csc_fields.hpp, makes one call to the signing or PAdES service and writes the specification's
// answer. Errors are thrown; the route turns them into the dialect's CSC error body.
#include "web/handlers/csc/csc_fields.hpp"
#include "web/handlers/csc/csc_routes.hpp"

namespace yq::web::csc {

// info: the service, its methods and (v2) the algorithms, formats and conformance levels offered.
Response info(const CscRouteServices& s, const Request& req, Dialect d);
// auth/login with HTTP Basic; failures are limited per client address and per username before any password check.
Response login(const CscRouteServices& s, const Request& req, Dialect d);
// auth/revoke: 204 with no body.
Response revoke(const CscRouteServices& s, const Request& req, Dialect d);

// credentials/list (v1: maxResults and pageToken paging; v2: credentialInfo and onlyValid).
Response list_credentials(const CscRouteServices& s, const Request& req, Dialect d);
// credentials/info in the dialect's shape (v2 "auth" object; v1 authMode with PIN/OTP on authInfo=true).
Response credential_info(const CscRouteServices& s, const Request& req, Dialect d);
// credentials/authorize: the SAD for numSignatures (bound to the hashes when given).
Response authorize(const CscRouteServices& s, const Request& req, Dialect d);
// credentials/extendTransaction: a fresh SAD for the same authorisation.
Response extend_transaction(const CscRouteServices& s, const Request& req, Dialect d);

// signatures/signHash (synchronous operation mode only).
Response sign_hash(const CscRouteServices& s, const Request& req, Dialect d);
// signatures/timestamp: an RFC 3161 token over the hash.
Response timestamp(const CscRouteServices& s, const Request& req, Dialect d);
// signatures/signDoc (v2 only): PAdES for PDFs ("P"), detached CAdES ("C") for documents or their digests.
Response sign_doc(const CscRouteServices& s, const Request& req, Dialect d);

}  // namespace yq::web::csc
