#pragma once
// The validation report in the XML form of ETSI TS 119 102-2 (namespace http://uri.etsi.org/19102/v1.2.1#): one
// SignatureValidationReport per signature — SignatureIdentifier (the digest of the signed bytes and the PAdES field
// name), ValidationTimeInfo (validation time, best-signature-time as a POE), SignatureAttributes (claimed signing
// time, signature time-stamp, sub-filter), SignerInformation, and SignatureValidationStatus with the main indication
// and sub-indication URIs (urn:etsi:019102:mainindication:…, urn:etsi:019102:subindication:…) and the certificate
// chain — and the certificates as SignatureValidationObjects, referenced by id.
#include <string>

#include "validation/report.hpp"

namespace yq::validation {

// The main indication's URI (TS 119 102-2 §5.1.3) for an EN 319 102-1 indication.
std::string main_indication_uri(const std::string& indication);

std::string to_etsi_xml(const Report& r);

}  // namespace yq::validation
