// The registration office (see registration_office.hpp): the HSM keys its desks use.
#include "ra/registration_office.hpp"

namespace yq::ra {

void RegistrationOffice::ensure_hsm_keys(keystore::Keystore& keys) {
    if (!keys.has_key(kIdSealLabel)) keys.generate_secret_key(kIdSealLabel, keystore::SecretKeyKind::AesGcm);
    AppointmentBook::ensure_hsm_keys(keys);
}

}  // namespace yq::ra
