#include "cli/serve.hpp"

#include <spdlog/spdlog.h>

#include <iostream>
#include <optional>
#include <unistd.h>
#include <tuple>

#include "audit/head_signer.hpp"
#include "cli/app.hpp"
#include "web/handlers/office/office_pages.hpp"
#include "web/handlers/portal/portal_pages.hpp"
#include "web/handlers/public/public_pages.hpp"
#include "core/error.hpp"
#include "pades/pades_service.hpp"
#include "validation/pdf_validator.hpp"
#include "pki/ocsp_responder.hpp"
#include "pki/time_stamp_authority.hpp"
#include "ra/appointments.hpp"
#include "ra/office_calendar.hpp"
#include "ra/registration_office.hpp"
#include "ra/notice_addresses.hpp"
#include "notices/dispatcher.hpp"
#include "signing/csc_service.hpp"
#include "web/handlers/portal/account_api_routes.hpp"
#include "web/handlers/csc/csc_routes.hpp"
#include "web/handlers/public/appointment_api.hpp"
#include "web/handlers/public/ops_routes.hpp"
#include "web/handlers/public/pki_routes.hpp"
#include "web/handlers/office/ra_routes.hpp"
#include "web/handlers/public/transparency_routes.hpp"
#include "web/handlers/public/validation_api.hpp"
#include "web/server.hpp"
#include "web/ui/forms.hpp"

namespace yq::cli {

namespace {

// Names this node in notice leases (host and process), so the office can tell which node held a notice.
std::string node_name() {
    char host[256] = {0};
    if (gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "node");
    return std::string(host) + ":" + std::to_string(getpid());
}

}  // namespace

int serve(const std::string& home, const std::string& listen) {
    core::Config config = core::load_config(home);
    if (!listen.empty()) std::tie(config.server.listener.host, config.server.listener.port) = parse_listen(listen);
    spdlog::set_level(spdlog::level::from_str(config.log.level));
    auto app = App::open(std::move(config));
    pki::CertificateAuthority& ca = *app->ca;
    ca.complete_service_certificates("system:start");

    pki::OcspResponder ocsp(ca);
    ocsp.refresh_if_status_changed();
    pki::TimeStampAuthority tsa(ca);
    accounts::AccountService::ensure_hsm_keys(*app->keys);
    signing::CscService csc(app->config, *app->accounts, *app->store, *app->store, *app->store, *app->custody, ca, tsa,
                            *app->keys, *app->log, app->clock);
    web::Router router;
    web::Metrics metrics;
    const core::Config& c = app->config;
    web::register_pki_routes(router, ca, ocsp, tsa,
                             web::PkiRouteLimits{c.server.max_ocsp_request_bytes, c.server.max_tsa_request_bytes});
    pades::PadesService pades(app->config, csc, *app->store, tsa, *app->store, app->clock, *app->store);
    web::AttemptLimiter csc_sign_ins(c.ui.sign_in_failures, c.ui.window_seconds);  // lives as long as the server
    web::CscRouteServices csc_routes{csc, pades, app->config, csc_sign_ins, app->clock};
    web::register_csc_routes(router, csc_routes);
    ra::RegistrationOffice::ensure_hsm_keys(*app->keys);
    ra::OfficeCalendar calendar(app->config.office);
    ra::AppointmentBook appointments(calendar, *app->store, *app->keys, app->clock);
    ra::RegistrationOffice office(app->config, *app->store, *app->accounts, *app->store, ca, appointments, calendar,
                                  *app->keys, app->clock);
    ra::AuditorDesk auditor(*app->store, *app->store);
    web::RaRouteServices ra_services{*app->staff, office, appointments, calendar, auditor, csc};
    web::AccountApiServices account_api{app->config, *app->accounts, csc, pades, office, *app->log};
    web::register_account_api_routes(router, account_api);
    web::register_transparency_routes(router, *app->log);
    const std::vector<core::Bytes> anchors = validation_anchors(app.get());  // our CA and the trust files, read once
    validation::PdfValidator validator(anchors, ca_revocation_source(*app));
    validation::CmsValidator cms_validator(anchors, ca_revocation_source(*app));
    validation::ReportSigner report_signer(*app->keys, *app->store);
    web::ValidationApiServices validation_api{validator, cms_validator, report_signer, pades, app->clock};
    web::register_validation_api(router, validation_api);
    web::PageRenderer pages(web::UiSettings{!c.server.listener.tls_certificate.empty(), c.office});
    // the handlers keep references to these: they live as long as the server
    const auto& ui = c.ui;
    web::AttemptLimiter bookings(ui.bookings, ui.window_seconds), portal_sign_ins(ui.sign_in_failures, ui.window_seconds),
        office_sign_ins(ui.sign_in_failures, ui.window_seconds);
    pades::SignatureRegister signatures(*app->store, *app->store, *app->store, *app->store, app->clock);
    web::PublicPageServices public_pages{app->config, calendar, appointments, validator, ca, pages, app->clock,
                                         bookings, signatures, pades, *app->log};
    web::register_public_pages(router, public_pages);
    web::PortalPageServices portal_pages{app->config, *app->accounts, csc, pades, pages, app->clock,
                                         portal_sign_ins, signatures, office, *app->log};
    web::register_portal_pages(router, portal_pages);
    // The back office (its pages and the staff API) on the main listener, or on its own when configured.
    const bool office_apart = !c.server.office_listener.host.empty();
    web::Router office_router;
    web::Router& back_office = office_apart ? office_router : router;
    // the office's cookies are Secure when its own listener speaks TLS
    web::PageRenderer office_renderer(web::UiSettings{
        !(office_apart ? c.server.office_listener : c.server.listener).tls_certificate.empty(), c.office});
    if (office_apart) {
        web::register_page_assets(office_router, office_renderer, c.ui.pdfjs_dir);
        office_router.add("GET", "/", [](const web::Request&) { return web::see_other("/office"); }, web::Execution::Inline,
                          "ui_office");  // the masthead's home link, on the office's own address
    }
    web::OfficePageServices office_pages{app->config, ra_services, office_renderer, app->clock, office_sign_ins, ca, ocsp, tsa};
    web::register_office_pages(back_office, office_pages);
    web::register_office_registration_pages(back_office, office_pages);
    web::register_office_request_pages(back_office, office_pages);
    web::register_office_form_pages(back_office, office_pages);
    web::register_office_staff_pages(back_office, office_pages);
    web::register_staff_routes(back_office, ra_services);
    web::register_ra_routes(back_office, ra_services);
    web::register_audit_routes(back_office, ra_services);
    web::register_appointment_staff_routes(back_office, ra_services);
    web::AppointmentApiServices appointment_api{appointments, calendar};
    web::register_appointment_api(router, appointment_api);
    web::register_ops_routes(router, metrics, [&app]() {
        app->store->status_epoch();                       // database answers
        app->keys->has_key(pki::kIssuingKeyLabel);        // HSM answers
    });
    metrics.add_source("yunqian_ocsp_cache_hits_total", "OCSP responses served from the pre-signed cache.",
                       [&ocsp] { return static_cast<double>(ocsp.cache_hits()); });
    metrics.add_source("yunqian_ocsp_signed_total", "OCSP responses signed by the HSM.",
                       [&ocsp] { return static_cast<double>(ocsp.signed_on_demand()); });

    web::Server server(c.server, router, metrics);
    if (office_apart) server.add_listener(c.server.office_listener, office_router, "server.office_listener");
    server.every(std::chrono::milliseconds(c.ocsp.status_poll_ms), "ocsp-status-poll",
                 [&ocsp] { ocsp.refresh_if_status_changed(); });
    server.every(std::chrono::minutes(1), "crl-schedule", [&ca, &app, &c] {
        auto latest = ca.latest_crl();
        std::int64_t age_limit = static_cast<std::int64_t>(c.ca.crl_regenerate_minutes) * 60;
        if (!latest || app->clock.unix_seconds() - latest->this_update >= age_limit) ca.publish_crl("system:scheduler");
    });
    // an expired SAD's row holds half of its key: it goes at expiry, not only when the next SAD is made
    server.every(std::chrono::seconds(15), "sad-sweep", [&csc] { csc.sweep_expired_sads(); });
    server.every(std::chrono::seconds(c.audit.head_signing_interval_seconds), "audit-head-signing", [&app] {
        audit::sign_head(*app->store, *app->keys, pki::kAuditKeyLabel, app->clock);
    });
    // #18: the signing transparency log's head, when the log grew (proofs also sign one on demand)
    server.every(std::chrono::seconds(c.transparency.head_signing_interval_seconds), "transparency-head-signing",
                 [&app] { app->log->sign_head(); });

    // #16: e-mail notices. Expiry warnings are queued on every node (a warning is queued once); the queue is sent when a
    // mail server is configured and waits for one otherwise.
    notices::MessageComposer composer(c.office);
    ra::NoticeAddresses addresses(*app->store, *app->store);
    std::optional<notices::SmtpMailer> mailer;
    std::optional<notices::Dispatcher> dispatcher;
    if (!c.mail.smtp_url.empty()) {
        mailer.emplace(c.mail, c.home);
        dispatcher.emplace(c.mail, *app->store, addresses, *mailer, composer, app->clock, node_name());
    }
    server.every(std::chrono::seconds(c.mail.poll_seconds), "notices", [&app, &dispatcher] {
        app->accounts->queue_expiry_warnings(*app->store);
        if (dispatcher) dispatcher->run_once();
    });

    std::string scheme = server.tls() ? "https" : "http";
    std::string base = scheme + "://" + c.server.listener.host + ":" + std::to_string(server.port());
    std::cout << "yunqian is serving on " << base << "\n"
              << "  Web site         " << base << "/  (verify a PDF: " << base << "/verify, book: " << base
              << "/appointments/book)\n"
              << "  CA certificates  " << base << "/repo/root.crt  " << base << "/repo/issuing.crt\n"
              << "  CRL              " << base << "/repo/issuing.crl\n"
              << "  OCSP             " << base << "/ocsp\n"
              << "  Time-stamping    " << base << "/tsa\n"
              << "  CSC API          " << base << "/csc/v2  " << base << "/csc/v1\n"
              << "  Signer portal    " << base << "/portal\n";
    std::string office_base = base;
    if (office_apart)
        office_base = std::string(server.tls(1) ? "https" : "http") + "://" + c.server.office_listener.host + ":" +
                 std::to_string(server.port(1));
    std::cout << "  Office           " << office_base << "/office  (staff API " << office_base << "/api/v1, described at " << base
              << "/api/openapi.yaml)\n"
              << "  Health, metrics  " << base << "/healthz  " << base << "/metrics\n"
              << std::flush;
    server.run();
    // what was written since the last interval is signed before the process ends: an unsigned tail is what `audit
    // verify` reports when signatures were removed
    try {
        audit::sign_head(*app->store, *app->keys, pki::kAuditKeyLabel, app->clock);
    } catch (const Error& e) {
        spdlog::warn("could not sign the audit chain head at shutdown: {} ({})", e.what(), e.code());
    }
    return 0;
}

}  // namespace yq::cli
