#pragma once
// The wire between the server and an isolated worker process (core/isolated_worker.hpp, core/worker_main.hpp), over
// one Unix stream socket. Every message is a frame: 8-byte little-endian length, then the bytes. A request is two
// frames, the job's name and its input; the reply is one frame, 'O' + the result, or 'E' + "code\0status\0message"
// for a yq::Error the job threw.
// Error style: the frame functions return false on a closed socket, a timeout or an oversized frame (the caller decides
// what that means); decode_reply throws the job's yq::Error as it was thrown.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace yq::core {

using WorkerDeadline = std::chrono::steady_clock::time_point;

bool send_frame(int fd, std::string_view body);
// Waits no later than `deadline` (nullptr: as long as it takes). Frames over `max_size` are refused.
bool receive_frame(int fd, std::string& body, const WorkerDeadline* deadline, std::uint64_t max_size);

std::string ok_reply(std::string_view result);
std::string error_reply(const std::string& code, int http_status, const std::string& message);
// The result of an 'O' reply; throws the Error of an 'E' reply. Returns false for anything else (a broken worker).
bool decode_reply(const std::string& reply, std::string& result);

}  // namespace yq::core
