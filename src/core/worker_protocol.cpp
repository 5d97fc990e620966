#include "core/worker_protocol.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "core/error.hpp"

namespace yq::core {

namespace {

bool send_all(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

bool receive_all(int fd, char* data, std::size_t size, const WorkerDeadline* deadline) {
    while (size > 0) {
        if (deadline) {
            auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) return false;
            pollfd p{fd, POLLIN, 0};
            int r = poll(&p, 1, static_cast<int>(left.count()));
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) return false;
        }
        ssize_t n = ::recv(fd, data, size, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

}  // namespace

bool send_frame(int fd, std::string_view body) {
    std::uint64_t n = body.size();
    char header[8];
    for (int i = 0; i < 8; ++i) header[i] = static_cast<char>((n >> (8 * i)) & 0xff);
    return send_all(fd, header, 8) && send_all(fd, body.data(), body.size());
}

bool receive_frame(int fd, std::string& body, const WorkerDeadline* deadline, std::uint64_t max_size) {
    unsigned char header[8];
    if (!receive_all(fd, reinterpret_cast<char*>(header), 8, deadline)) return false;
    std::uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = (n << 8) | header[i];
    if (n > max_size) return false;
    body.resize(n);
    return receive_all(fd, body.data(), n, deadline);
}

std::string ok_reply(std::string_view result) {
    std::string reply;
    reply.reserve(result.size() + 1);
    return reply.append("O").append(result);
}

std::string error_reply(const std::string& code, int http_status, const std::string& message) {
    return std::string("E") + code + '\0' + std::to_string(http_status) + '\0' + message;
}

bool decode_reply(const std::string& reply, std::string& result) {
    if (reply.empty()) return false;
    if (reply[0] == 'O') {
        result = reply.substr(1);
        return true;
    }
    if (reply[0] != 'E') return false;
    std::size_t a = reply.find('\0', 1), b = a == std::string::npos ? a : reply.find('\0', a + 1);
    if (b == std::string::npos) return false;
    int status = 0;
    try {
        status = std::stoi(reply.substr(a + 1, b - a - 1));
    } catch (const std::exception&) {
        return false;
    }
    if (status < 400 || status > 599) return false;
    throw Error(reply.substr(1, a - 1), status, reply.substr(b + 1));
}

}  // namespace yq::core
