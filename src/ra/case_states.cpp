#include "ra/case_states.hpp"

namespace yq::ra {

void throw_unknown_status(const std::string& name) { throw_bad_input("ra.bad_status", "no case has the status '" + name + "'"); }

namespace {

template <class Status>
void draw(std::string& out, const char* title, Status first) {
    out += "### " + std::string(title) + "\n\n```mermaid\nstateDiagram-v2\n    [*] --> " + status_name(first) + "\n";
    for (const auto& t : steps_of(first)) {
        std::string label = t.step;
        if (t.action) label += " · " + std::string(action_name(*t.action));
        if (t.second_person) label += " · second person";
        out += "    " + status_name(t.from) + " --> " + status_name(t.to) + ": " + label + "\n";
    }
    out += "```\n";
}

}  // namespace

std::string state_diagrams() {
    std::string out;
    draw(out, "Agency", AgencyStatus::Draft);
    out += "\n";
    draw(out, "Authorisation letter", LetterStatus::Pending);
    out += "\n";
    draw(out, "User service application", ApplicationStatus::Submitted);
    out += "\n";
    draw(out, "Revocation, renewal, unlock, re-key and recovery request", RequestStatus::Submitted);
    return out;
}

}  // namespace yq::ra
