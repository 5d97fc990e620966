#pragma once
// The registration office (architecture "RA flow"): its desks, each with one job, over the shared case files —
// documents, agencies (with representatives and letters), user applications, and requests. Every method checks the
// caller's role and the four-eyes rules of the case; every change is one audited transaction.
// Error style: throws yq::Error — 403 "auth.forbidden", 404 "ra.unknown_*", 409 "ra.*" naming the broken rule,
// 422 "ra.documents_missing" with the missing documents.
#include "ra/agency_desk.hpp"
#include "ra/application_desk.hpp"
#include "ra/document_desk.hpp"
#include "ra/request_desk.hpp"

namespace yq::ra {

class RegistrationOffice {
    OfficeServices m_services;  // first: the desks are made from it

public:
    RegistrationOffice(const core::Config& config, RegistryStore& store, accounts::AccountService& accounts,
                       accounts::AccountStore& account_store, pki::CertificateAuthority& ca, AppointmentBook& appointments,
                       const OfficeCalendar& calendar, keystore::Keystore& keys, const core::Clock& clock)
        : m_services{config, store, accounts, account_store, ca, appointments, calendar, keys, clock},
          documents(m_services),
          agencies(m_services, documents),
          applications(m_services, documents),
          requests(m_services, documents) {}

    // The HSM keys the office uses (ID seal; the lookup MAC of the appointment book).
    static void ensure_hsm_keys(keystore::Keystore& keys);

    DocumentDesk documents;
    AgencyDesk agencies;
    ApplicationDesk applications;
    RequestDesk requests;
};

}  // namespace yq::ra
