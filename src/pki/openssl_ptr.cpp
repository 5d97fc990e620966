#include "pki/openssl_ptr.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "core/error.hpp"

namespace yq::pki {

std::string openssl_errors() {
    std::string out;
    unsigned long e;
    char buf[256];
    while ((e = ERR_get_error()) != 0) {
        ERR_error_string_n(e, buf, sizeof buf);
        if (!out.empty()) out += "; ";
        out += buf;
    }
    return out;
}

core::Bytes to_der(X509* cert) {
    int len = i2d_X509(cert, nullptr);
    if (len <= 0) throw Error("pki.encode_failed", 500, "cannot encode certificate: " + openssl_errors());
    core::Bytes der(static_cast<std::size_t>(len));
    unsigned char* p = der.data();
    i2d_X509(cert, &p);
    return der;
}

core::Bytes to_der(X509_CRL* crl) {
    int len = i2d_X509_CRL(crl, nullptr);
    if (len <= 0) throw Error("pki.encode_failed", 500, "cannot encode CRL: " + openssl_errors());
    core::Bytes der(static_cast<std::size_t>(len));
    unsigned char* p = der.data();
    i2d_X509_CRL(crl, &p);
    return der;
}

EvpPkeyPtr public_key_from_der(const core::Bytes& spki) {
    const unsigned char* p = spki.data();
    EvpPkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
    if (!key) ERR_clear_error();
    return key;
}

bool signature_verifies(EVP_PKEY* key, const EVP_MD* md, const std::uint8_t* data, std::size_t size,
                        const core::Bytes& signature) {
    OsslPtr<EVP_MD_CTX, EVP_MD_CTX_free> ctx(EVP_MD_CTX_new());
    bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) == 1 &&
              EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), data, size) == 1;
    if (!ok) ERR_clear_error();
    return ok;
}

X509Ptr certificate_from_der(const core::Bytes& der) {
    const unsigned char* p = der.data();
    X509Ptr c(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    if (!c || p != der.data() + der.size()) {
        openssl_errors();
        throw_bad_input("pki.bad_certificate", "the data is not a DER certificate");
    }
    return c;
}

std::string to_pem(X509* cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(bio.get(), cert);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

std::vector<core::Bytes> certificates_from_pem(const std::string& pem) {
    std::vector<core::Bytes> out;
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        X509Ptr owned(cert);
        out.push_back(to_der(cert));
    }
    ERR_clear_error();  // the end of the input reads as an error
    return out;
}

std::string serial_hex(const ASN1_INTEGER* serial) {
    BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
    char* hex = BN_bn2hex(bn.get());
    std::string s(hex);
    OPENSSL_free(hex);
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string name_text(const X509_NAME* name) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(n));
}

X509NamePtr parse_name(const std::string& slash_form) {
    if (slash_form.empty() || slash_form[0] != '/')
        throw_bad_input("pki.bad_name", "a name must look like /C=MO/O=Agency/CN=Name");
    X509NamePtr name(X509_NAME_new());
    std::size_t pos = 1;
    while (pos < slash_form.size()) {
        std::size_t next = slash_form.find('/', pos);
        std::string part = slash_form.substr(pos, next == std::string::npos ? std::string::npos : next - pos);
        std::size_t eq = part.find('=');
        if (eq == std::string::npos || eq == 0) throw_bad_input("pki.bad_name", "name component '" + part + "' has no '='");
        std::string key = part.substr(0, eq), value = part.substr(eq + 1);
        if (X509_NAME_add_entry_by_txt(name.get(), key.c_str(), MBSTRING_UTF8,
                                       reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0) != 1) {
            openssl_errors();
            throw_bad_input("pki.bad_name", "unknown name attribute '" + key + "'");
        }
        if (next == std::string::npos) break;
        pos = next + 1;
    }
    return name;
}

}  // namespace yq::pki
