#include "serve/Server.hpp"

#include <httplib.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <stdexcept>
#include <thread>

namespace suanli::serve {
namespace {

using nlohmann::json;

void send_error(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(json{{"ok", false}, {"error", message}}.dump(), "application/json");
}

sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

void block_stop_signals() {
  const sigset_t set = stop_signals();
  ::pthread_sigmask(SIG_BLOCK, &set, nullptr);
  ::signal(SIGPIPE, SIG_IGN);
}

bool is_loopback(const std::string& address) {
  return address == "localhost" || address == "::1" || address.rfind("127.", 0) == 0;
}

void serve(Session& session, const ServerOptions& options,
           const std::function<void(const std::string&)>& on_listening) {
  httplib::Server server;
  // Each open page holds one thread on its event stream: room for a few dozen pages at once.
  server.new_task_queue = [] { return new httplib::ThreadPool(32); };
  server.set_payload_max_length(options.max_body_bytes);
  server.set_keep_alive_max_count(100);
  server.set_read_timeout(10, 0);

  for (const PageFile* f = page_files(); f->path; ++f) {
    const PageFile file = *f;
    auto handler = [file](const httplib::Request&, httplib::Response& res) {
      res.set_content(reinterpret_cast<const char*>(file.data), file.size, file.content_type);
      res.set_header("Cache-Control", "no-store");
    };
    server.Get(file.path, handler);
    if (std::string(file.path) == "/index.html") server.Get("/", handler);
  }
  server.Get("/api/layout", [&session](const httplib::Request&, httplib::Response& res) {
    res.set_content(session.layout().dump(-1, ' ', false, json::error_handler_t::replace),
                    "application/json");
  });
  server.Get("/api/state", [&session](const httplib::Request&, httplib::Response& res) {
    res.set_content(session.snapshot().second, "application/json");
  });
  server.Get("/api/events", [&session](const httplib::Request&, httplib::Response& res) {
    res.set_header("Cache-Control", "no-store");
    auto last = std::make_shared<std::uint64_t>(0);
    res.set_chunked_content_provider("text/event-stream",
                                     [&session, last](std::size_t, httplib::DataSink& sink) {
                                       if (session.stopping()) return false;
                                       session.wait_change(*last, std::chrono::seconds(10));
                                       if (session.stopping()) return false;
                                       const auto [version, text] = session.snapshot();
                                       std::string message;
                                       if (version > *last) {
                                         *last = version;
                                         message = "data: " + text + "\n\n";
                                       } else {
                                         message = ": keep-alive\n\n";
                                       }
                                       return sink.write(message.data(), message.size());
                                     });
  });
  server.Post("/api/control", [&session](const httplib::Request& req, httplib::Response& res) {
    const auto message = json::parse(req.body, nullptr, false);
    if (message.is_discarded())
      return send_error(res, 400, "the body is not JSON: send one control message as a JSON object");
    try {
      res.set_content(session.control(message).dump(), "application/json");
    } catch (const ControlError& e) {
      send_error(res, 400, e.what());
    }
  });
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "internal error";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = std::string("internal error: ") + e.what();
    } catch (...) {
    }
    send_error(res, 500, what);
  });
  server.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        if (res.status == 404)
          send_error(res, 404, "no such route: " + req.method + " " + req.path.substr(0, 200));
        else if (res.status == 413)
          send_error(res, 413, "the request body is too large");
        else
          send_error(res, res.status, "bad request");
        return httplib::Server::HandlerResponse::Handled;
      }));

  int port = options.port;
  if (port == 0) {
    port = server.bind_to_any_port(options.bind);
    if (port < 0) throw std::runtime_error("cannot listen on " + options.bind);
  } else if (!server.bind_to_port(options.bind, port)) {
    throw std::runtime_error("cannot listen on " + options.bind + ":" + std::to_string(port) +
                             " (in use? try --port 0 for any free port)");
  }
  const std::string host =
      options.bind.find(':') != std::string::npos ? "[" + options.bind + "]" : options.bind;
  on_listening("http://" + host + ":" + std::to_string(port) + "/");

  std::atomic<bool> done{false};
  std::thread waiter([&] {  // SIGINT/SIGTERM (blocked in every thread) stop the server
    const sigset_t set = stop_signals();
    timespec wait{0, 200 * 1000 * 1000};
    while (!done) {
      if (::sigtimedwait(&set, nullptr, &wait) > 0) {
        session.stop();
        server.stop();
        return;
      }
    }
  });
  server.listen_after_bind();
  done = true;
  session.stop();
  waiter.join();
}

}  // namespace suanli::serve
