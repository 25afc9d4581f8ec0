// The HTTP side of `suanli serve` (cpp-httplib): the page (embedded in the binary), the layout and
// state as JSON, the state stream (server-sent events) and the control endpoint. Errors are JSON
// objects {"ok":false,"error":...}: 404 unknown route, 400 malformed control, 413 body too large.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "serve/Session.hpp"

namespace suanli::serve {

struct ServerOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;  ///< 0: any free port
  std::size_t max_body_bytes = 64 * 1024;
};

/// One file of the page, embedded at build time (sim/serve/page/, generated PageFiles.cpp).
struct PageFile {
  const char* path;  ///< URL path, e.g. "/app.js"
  const char* content_type;
  const unsigned char* data;
  std::size_t size;
};
const PageFile* page_files();  ///< terminated by an entry with a null path

/// Blocks SIGINT and SIGTERM in the calling thread and the threads it starts later; serve() waits for
/// them. Call before starting the session.
void block_stop_signals();

/// True for 127.0.0.0/8, ::1 and "localhost".
bool is_loopback(const std::string& address);

/// Serves until SIGINT or SIGTERM (or `should_stop` returns true), then stops the session. Calls
/// `on_listening(url)` once the socket is bound. Throws std::runtime_error when it cannot bind.
void serve(Session& session, const ServerOptions& options,
           const std::function<void(const std::string&)>& on_listening);

}  // namespace suanli::serve
