#pragma once
// The registration office in process, over the signer services' fixture (fresh SoftHSM token, fresh database —
// SQLite, or PostgreSQL as the test parameter — and a fixed clock): the calendar, the appointment book and the
// office, two members of staff (an officer and a supervisor), and helpers that bring the office's cases to a state.
#include <map>

#include "ra/registration_office.hpp"
#include "support/signer_services.hpp"

namespace yq::test {

class RegistrationOfficeTest : public SignerServicesTest {
protected:
    ra::OfficeCalendar calendar{config.office};
    ra::AppointmentBook appointments{calendar, store, keys, clock};
    ra::RegistrationOffice office{config, store, service, store, ca, appointments, calendar, keys, clock};
    ra::Principal officer{"olivia", {ra::Role::Officer}};
    ra::Principal supervisor{"sam", {ra::Role::Supervisor}};

    void SetUp() override {
        SignerServicesTest::SetUp();
        ra::RegistrationOffice::ensure_hsm_keys(keys);
    }

    // A small document of each type (the office decides the type by content: these are PDFs).
    static std::map<std::string, core::Bytes> documents(std::initializer_list<const char*> types) {
        std::map<std::string, core::Bytes> out;
        for (const char* t : types) out[t] = core::to_bytes("%PDF-1.4\n% " + std::string(t) + "\n%%EOF\n");
        return out;
    }

    // An agency as the counter takes it, represented by its head (no letter) with its three documents.
    static ra::CounterAgency agency_at_counter(const std::string& code) {
        ra::CounterAgency c;
        c.agency.kind = "government";
        c.agency.name_zh = "法務局 " + code;
        c.agency.code = code;
        c.agency.head = ra::Person{"梁局長 Leong", "局長 Director", "", "leong@dsaj.gov.mo"};
        c.agency.contact = ra::Person{"何聯絡 Ho", "", "", "ho@dsaj.gov.mo"};
        c.representative.name = "梁局長 Leong";
        c.representative.is_head = true;
        c.representative.id_type = "macau_bir";
        c.representative_id_number = "1234567(8)";
        c.documents = documents({"agency_application_form", "representative_id_copy", "contact_id_copy"});
        return c;
    }

    // Registered at the counter, checked by the officer and approved by the supervisor.
    ra::Agency active_agency(const std::string& code) {
        ra::Agency a = office.agencies.register_agency_at_counter(officer, agency_at_counter(code));
        office.agencies.check_agency_documents(officer, a.id);
        return office.agencies.approve_agency(supervisor, a.id);
    }

    // A user's application as the counter takes it, signed off on paper by the agency's head.
    static ra::CounterApplication application_at_counter(const ra::Agency& agency, const std::string& username,
                                                         const std::string& id_number) {
        ra::CounterApplication c;
        c.application.agency_id = agency.id;
        c.application.username = username;
        c.application.display_name = "陳大文 Chan Tai Man";
        c.application.email = username + "@dsaj.gov.mo";
        c.application.user_kind = "government";
        c.representative_id = agency.representative_id;
        c.id_type = "macau_bir";
        c.id_number = id_number;
        c.documents = documents({"service_application_form", "user_id_copy"});
        return c;
    }

    std::size_t audit_events() { return store.all_events().size(); }
};

}  // namespace yq::test
