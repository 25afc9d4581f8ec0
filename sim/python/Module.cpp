// The `suanli._core` extension module (pybind11): scenarios, runs, annual PUE, capacity and Python
// placement policies. The Python-facing API is python/suanli/__init__.py; this file is its engine room.
//
// SimGrid allows one simulation per process (its clock and state are global), and oneTBB's workers do
// not survive fork(). So every run, PUE year and capacity study executes in a forked child process:
// the parent never starts SimGrid or TBB, any number of runs work in one Python process, and each run
// starts from a fresh engine. The child sends its results back through a pipe: the summary as JSON
// and the job and sample records as raw column arrays (no CSV is written or parsed).
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "capacity/Growth.hpp"
#include "capacity/Headroom.hpp"
#include "energy/AnnualPue.hpp"
#include "engine/Simulation.hpp"
#include "metrics/CheckReport.hpp"
#include "metrics/PueReport.hpp"
#include "metrics/RunMetrics.hpp"
#include "model/Error.hpp"
#include "io/JsonReader.hpp"
#include "load/Load.hpp"
#include "model/ScenarioReader.hpp"
#include "model/Validate.hpp"
#include "policy/Placement.hpp"
#include "suanli/version.hpp"
#include "topology/Graph.hpp"
#include "topology/LatencyCircle.hpp"

namespace py = pybind11;
using nlohmann::json;

namespace {

// ---------------------------------------------------------------------------------------------------
// JSON <-> Python objects.

py::object to_python(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return py::none();
    case json::value_t::boolean: return py::bool_(j.get<bool>());
    case json::value_t::number_integer: return py::int_(j.get<std::int64_t>());
    case json::value_t::number_unsigned: return py::int_(j.get<std::uint64_t>());
    case json::value_t::number_float: return py::float_(j.get<double>());
    case json::value_t::string: return py::str(j.get_ref<const std::string&>());
    case json::value_t::array: {
      py::list out;
      for (const auto& v : j) out.append(to_python(v));
      return out;
    }
    case json::value_t::object: {
      py::dict out;
      for (const auto& [k, v] : j.items()) out[py::str(k)] = to_python(v);
      return out;
    }
    default: return py::none();
  }
}

json from_python(py::handle h, const std::string& where) {
  if (h.is_none()) return nullptr;
  if (py::isinstance<py::bool_>(h)) return h.cast<bool>();
  if (py::isinstance<py::int_>(h)) {
    const auto v = h.cast<py::int_>();
    if (py::int_(0) <= v) return v.cast<std::uint64_t>();
    return v.cast<std::int64_t>();
  }
  if (py::isinstance<py::float_>(h)) return h.cast<double>();
  if (py::isinstance<py::str>(h)) return h.cast<std::string>();
  if (py::isinstance<py::dict>(h)) {
    json out = json::object();
    for (const auto& [k, v] : h.cast<py::dict>()) {
      if (!py::isinstance<py::str>(k)) throw py::type_error(where + ": object keys must be strings");
      const auto key = k.cast<std::string>();
      out[key] = from_python(v, where + "/" + key);
    }
    return out;
  }
  if (py::isinstance<py::list>(h) || py::isinstance<py::tuple>(h)) {
    json out = json::array();
    std::size_t i = 0;
    for (const auto& v : h) out.push_back(from_python(v, where + "/" + std::to_string(i++)));
    return out;
  }
  // numpy scalars and the like: anything float() accepts.
  if (py::hasattr(h, "__float__")) return py::float_(py::reinterpret_borrow<py::object>(h)).cast<double>();
  throw py::type_error(where + ": " + std::string(py::str(h.get_type().attr("__name__"))) +
                       " cannot go into a scenario (use dict, list, str, int, float, bool or None)");
}

// ---------------------------------------------------------------------------------------------------
// Errors: user errors become suanli.ScenarioError carrying the CLI's one-line messages.

json user_errors_json(const std::vector<suanli::model::UserError>& errors) {
  json out = json::array();
  for (const auto& e : errors)
    out.push_back({{"file", e.file()}, {"pointer", e.location()}, {"message", e.message()}, {"line", e.what()}});
  return out;
}

[[noreturn]] void raise_scenario_error(const json& errors) {
  auto cls = py::module_::import("suanli._errors").attr("ScenarioError");
  py::object exc = cls(to_python(errors));
  PyErr_SetObject(cls.ptr(), exc.ptr());
  throw py::error_already_set();
}

[[noreturn]] void raise_named(const char* name, const std::string& message) {
  auto cls = py::module_::import("suanli._errors").attr(name);
  PyErr_SetString(cls.ptr(), message.c_str());
  throw py::error_already_set();
}

/// Calls f, turning suanli's exceptions into Python ones.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const suanli::model::UserErrors& e) {
    raise_scenario_error(user_errors_json(e.errors()));
  } catch (const suanli::model::UserError& e) {
    raise_scenario_error(user_errors_json({e}));
  }
}

// ---------------------------------------------------------------------------------------------------
// Scenarios.

/// A scenario document as loaded (edits applied), with where it came from.
struct Scenario {
  json doc;
  std::string path;  ///< the file, or "<dict>"; named in messages, anchors relative paths
  bool lenient = false;
  std::vector<std::string> warnings;

  suanli::model::Scenario read() const {
    suanli::model::LoadOptions options;
    options.lenient = lenient;
    return suanli::load::load_scenario_document(doc, path, options).scenario;
  }
  std::vector<std::string> read_warnings() const {
    suanli::model::LoadOptions options;
    options.lenient = lenient;
    return suanli::load::load_scenario_document(doc, path, options).warnings;
  }
};

Scenario load_file(const std::string& path, bool lenient) {
  return guarded([&] {
    Scenario s{suanli::io::parse_json_text(suanli::io::read_text_file(path), path), path, lenient, {}};
    s.warnings = s.read_warnings();
    return s;
  });
}

Scenario load_dict(const py::dict& d, bool lenient, const std::string& name) {
  Scenario s{from_python(d, ""), name, lenient, {}};
  guarded([&] { s.warnings = s.read_warnings(); });
  return s;
}

// ---------------------------------------------------------------------------------------------------
// Python placement policies.

/// What a Python policy sees of one site: a read-only window on the engine's snapshot, valid during
/// the call.
struct PySite {
  const suanli::policy::SiteView* view = nullptr;
  const std::string* name = nullptr;
  const std::string* city = nullptr;
  const std::string* kind = nullptr;
  std::size_t index = 0;  ///< position in the list given to the policy
};

/// The job being placed and the moment, valid during the call.
struct PyRequest {
  const suanli::policy::PlacementRequest* request = nullptr;
  const suanli::model::Scenario* scenario = nullptr;
  const suanli::model::JobClass& job_class() const { return scenario->workload.classes[request->job.job_class]; }
};

/// A Python policy that raised or returned something that is not a site: the run stops.
struct PolicyFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The scenario of the run in progress (set in the child process before the run starts).
const suanli::model::Scenario* g_run_scenario = nullptr;

class PythonPlacement final : public suanli::policy::PlacementPolicy {
 public:
  PythonPlacement(std::string name, py::object fn) : name_(std::move(name)), fn_(std::move(fn)) {}

  std::optional<suanli::policy::PlacementDecision> place(const suanli::policy::PlacementRequest& r) override {
    if (!g_run_scenario) throw std::logic_error("Python placement policy used outside suanli.run");
    if (sites_.size() != r.sites.size() || data_ != r.sites.data()) build(r);
    request_.request = &r;
    py::object choice = fn_(request_object_, site_list_);
    if (choice.is_none()) return std::nullopt;
    std::size_t index = 0;
    if (py::isinstance<PySite>(choice)) {
      index = choice.cast<const PySite&>().index;
    } else if (py::isinstance<py::str>(choice)) {
      const auto it = by_name_.find(choice.cast<std::string>());
      if (it == by_name_.end())
        throw PolicyFailure("placement policy \"" + name_ + "\" returned \"" + choice.cast<std::string>() +
                            "\", which is no site of the scenario");
      index = it->second;
    } else {
      throw PolicyFailure("placement policy \"" + name_ + "\" returned a " +
                          std::string(py::str(choice.get_type().attr("__name__"))) +
                          "; return one of the sites given, its name, or None");
    }
    return suanli::policy::PlacementDecision{index, r.now_s};
  }

 private:
  void build(const suanli::policy::PlacementRequest& r) {
    const auto& s = *g_run_scenario;
    sites_.clear();
    by_name_.clear();
    site_list_ = py::list();
    kinds_.resize(r.sites.size());
    for (std::size_t i = 0; i < r.sites.size(); ++i) {
      const auto& site = s.sites.at(r.sites[i].site);
      kinds_[i] = std::string(suanli::model::to_string(site.kind));
      sites_.push_back({&r.sites[i], &site.name, &site.city, &kinds_[i], i});
      by_name_[site.name] = i;
    }
    for (auto& p : sites_) site_list_.append(py::cast(&p, py::return_value_policy::reference));
    request_.scenario = &s;
    request_object_ = py::cast(&request_, py::return_value_policy::reference);
    data_ = r.sites.data();
  }

  std::string name_;
  py::object fn_;
  std::vector<PySite> sites_;
  std::vector<std::string> kinds_;
  std::unordered_map<std::string, std::size_t> by_name_;
  py::list site_list_;
  PyRequest request_;
  py::object request_object_;
  const suanli::policy::SiteView* data_ = nullptr;
};

void register_placement(py::module_ m, const std::string& name, py::object fn, const std::string& summary) {
  if (!PyCallable_Check(fn.ptr())) throw py::type_error("register_placement: fn must be callable as fn(request, sites)");
  // The module's dict owns the callable; the registry (a C++ static, destroyed after the interpreter)
  // holds a borrowed handle, which must not be released then.
  const py::handle borrowed = fn;
  try {
    suanli::policy::add_placement(name, summary.empty() ? "Python: " + name : summary,
                                  [name, borrowed](suanli::policy::PolicyParams&) {
                                    return std::make_unique<PythonPlacement>(name, py::reinterpret_borrow<py::object>(borrowed));
                                  });
  } catch (const suanli::policy::PolicyError& e) {
    throw py::value_error(e.what());
  }
  m.attr("_placements")[py::str(name)] = fn;
}

// ---------------------------------------------------------------------------------------------------
// The child process and the pipe.

void write_all(int fd, const void* data, std::size_t n) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      ::_exit(120);  // the parent went away
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

/// Frames: 8-byte length, then the bytes.
struct FrameWriter {
  int fd;
  void frame(const void* data, std::size_t n) {
    const std::uint64_t len = n;
    write_all(fd, &len, sizeof len);
    write_all(fd, data, n);
  }
  void frame(const std::string& s) { frame(s.data(), s.size()); }
  template <class T>
  void frame(const std::vector<T>& v) {
    frame(v.data(), v.size() * sizeof(T));
  }
};

struct FrameReader {
  std::string bytes;
  std::size_t pos = 0;
  std::string_view next() {
    std::uint64_t len = 0;
    if (bytes.size() - pos < sizeof len) throw std::runtime_error("truncated reply from the run's child process");
    std::memcpy(&len, bytes.data() + pos, sizeof len);
    pos += sizeof len;
    if (bytes.size() - pos < len) throw std::runtime_error("truncated reply from the run's child process");
    std::string_view out(bytes.data() + pos, len);
    pos += len;
    return out;
  }
  template <class T>
  py::array_t<T> array() {
    const auto b = next();
    py::array_t<T> a(static_cast<py::ssize_t>(b.size() / sizeof(T)));
    if (!b.empty()) std::memcpy(a.mutable_data(), b.data(), b.size());
    return a;
  }
};

/// Runs work(writer) in a forked child; the first frame is a status JSON
/// ({"ok": true} or {"errors": [...]} or {"python": "..."} or {"internal": "..."}). Returns the reply
/// bytes after the parent has read them all and reaped the child; raises the child's error.
template <class Work>
FrameReader in_child(Work work) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  py::module_::import("sys").attr("stdout").attr("flush")();
  py::module_::import("sys").attr("stderr").attr("flush")();
  PyOS_BeforeFork();
  const pid_t pid = ::fork();
  if (pid == 0) {
    PyOS_AfterFork_Child();
    ::close(fds[0]);
    FrameWriter out{fds[1]};
    json status;
    std::string body;
    try {
      work(out, status);
    } catch (const suanli::model::UserErrors& e) {
      status = {{"errors", user_errors_json(e.errors())}};
    } catch (const suanli::model::UserError& e) {
      status = {{"errors", user_errors_json({e})}};
    } catch (py::error_already_set& e) {
      status = {{"python", e.what()}};
    } catch (const PolicyFailure& e) {
      status = {{"python", e.what()}};
    } catch (const std::exception& e) {
      status = {{"internal", e.what()}};
    } catch (...) {
      status = {{"internal", "unknown exception"}};
    }
    if (status.is_null()) status = {{"internal", "the child finished without a status"}};
    // The status goes last (the work streams its frames first); the parent reads it from the end.
    const std::string text = status.dump();
    out.frame(text);
    const std::uint64_t len = text.size();
    write_all(fds[1], &len, sizeof len);
    try {
      py::module_::import("sys").attr("stdout").attr("flush")();
      py::module_::import("sys").attr("stderr").attr("flush")();
    } catch (...) {
    }
    std::fflush(nullptr);
    ::_exit(0);
  }
  PyOS_AfterFork_Parent();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  }
  ::close(fds[1]);
  FrameReader reply;
  int wstatus = 0;
  bool interrupted = false;
  {
    py::gil_scoped_release release;
    char buf[1 << 16];
    for (;;) {
      // Every 200 ms without data, and on a signal, Python's signal handlers run (Ctrl-C raises
      // KeyboardInterrupt there); if one raised, the child is killed and the run abandoned.
      pollfd p{fds[0], POLLIN, 0};
      const int ready = ::poll(&p, 1, 200);
      if (ready <= 0) {
        py::gil_scoped_acquire acquire;
        if (PyErr_CheckSignals() != 0) {
          interrupted = true;
          ::kill(pid, SIGKILL);
          break;
        }
        continue;
      }
      const ssize_t n = ::read(fds[0], buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      reply.bytes.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    while (::waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
  }
  if (interrupted) throw py::error_already_set();
  if (WIFSIGNALED(wstatus))
    raise_named("InternalError", "the run's child process died of signal " + std::to_string(WTERMSIG(wstatus)) + " (" +
                                     strsignal(WTERMSIG(wstatus)) + ")");
  std::uint64_t len = 0;
  if (reply.bytes.size() < 2 * sizeof len) raise_named("InternalError", "the run's child process sent no result");
  std::memcpy(&len, reply.bytes.data() + reply.bytes.size() - sizeof len, sizeof len);
  if (len + 2 * sizeof len > reply.bytes.size()) raise_named("InternalError", "garbled reply from the run's child process");
  const json status = json::parse(reply.bytes.substr(reply.bytes.size() - sizeof len - len, len));
  reply.bytes.resize(reply.bytes.size() - 2 * sizeof len - len);
  if (status.contains("errors")) raise_scenario_error(status["errors"]);
  if (status.contains("python")) raise_named("PolicyError", status["python"].get<std::string>());
  if (status.contains("internal")) raise_named("InternalError", status["internal"].get<std::string>());
  return reply;
}

// ---------------------------------------------------------------------------------------------------
// Runs.

py::dict run(const Scenario& sc, std::optional<std::uint64_t> seed, std::optional<double> horizon_s,
             const std::string& outputs, bool keep_jobs, const std::string& engine, bool gzip, bool decision_log) {
  namespace fs = std::filesystem;
  if (engine != "exact" && engine != "simgrid")
    throw py::value_error("engine must be \"exact\" or \"simgrid\", got \"" + engine + "\"");
  auto scenario = guarded([&] { return sc.read(); });
  if (seed) scenario.seed = *seed;
  if (horizon_s) scenario.horizon_s = *horizon_s;
  guarded([&] {
    if (!outputs.empty() && fs::exists(outputs) && !fs::is_directory(outputs))
      throw suanli::model::UserError(outputs, "", "exists and is not a folder; give a folder for the outputs");
    if (horizon_s) {
      auto errors = suanli::load::validate(scenario);
      if (!errors.empty()) throw suanli::model::UserErrors(std::move(errors));
    }
    suanli::engine::check_runnable(scenario);
  });

  auto reply = in_child([&](FrameWriter& out, json& status) {
    suanli::metrics::RunColumns columns;
    columns.keep_jobs = keep_jobs;
    suanli::engine::RunOptions options;
    options.output_dir = outputs;
    options.gzip = gzip;
    options.decision_log = decision_log;
    options.columns = &columns;
    options.executor = engine == "simgrid" ? suanli::engine::ExecutorKind::kSimGrid : suanli::engine::ExecutorKind::kExact;
    g_run_scenario = &scenario;
    const auto summary = suanli::engine::run_simulation(scenario, options);
    out.frame(summary.dump());
    out.frame(json(columns.reasons).dump());
    const auto& j = columns.jobs;
    for (const auto* v : {&j.id, &j.trace_id}) out.frame(*v);
    for (const auto* v : {&j.job_class, &j.origin, &j.site, &j.outcome, &j.reason, &j.cores, &j.gpus}) out.frame(*v);
    for (const auto* v : {&j.budget_met, &j.deadline_met}) out.frame(*v);
    for (const auto* v : {&j.submit_s, &j.start_s, &j.end_s, &j.wait_s, &j.runtime_s, &j.network_rtt_s, &j.budget_s,
                          &j.weight, &j.energy_j})
      out.frame(*v);
    const auto& t = columns.timeseries;
    for (const auto* v : {&t.time_s, &t.cpu_utilization, &t.gpu_utilization, &t.it_power_w, &t.loss_w, &t.cooling_w,
                          &t.overhead_w, &t.facility_w, &t.pue, &t.free_cooling, &t.dry_bulb_c, &t.wet_bulb_c,
                          &t.carbon_kg_per_h})
      out.frame(*v);
    out.frame(t.site);
    for (const auto* v : {&t.running, &t.queued}) out.frame(*v);
    status = {{"ok", true}};
  });

  py::dict result;
  result["summary"] = to_python(json::parse(reply.next()));
  result["reasons"] = to_python(json::parse(reply.next()));
  py::dict jobs;
  for (const char* name : {"id", "trace_id"}) jobs[name] = reply.array<std::int64_t>();
  for (const char* name : {"class", "origin", "site", "outcome", "reason", "cores", "gpus"})
    jobs[name] = reply.array<std::int32_t>();
  for (const char* name : {"budget_met", "deadline_met"}) jobs[name] = reply.array<std::int8_t>();
  for (const char* name : {"submit_s", "start_s", "end_s", "wait_s", "runtime_s", "network_rtt_s", "budget_s", "weight",
                           "energy_j"})
    jobs[name] = reply.array<double>();
  py::dict ts;
  for (const char* name : {"time_s", "cpu_utilization", "gpu_utilization", "it_power_w", "loss_w", "cooling_w",
                           "overhead_w", "facility_w", "pue", "free_cooling", "dry_bulb_c", "wet_bulb_c",
                           "carbon_kg_per_h"})
    ts[name] = reply.array<double>();
  ts["site"] = reply.array<std::int32_t>();
  for (const char* name : {"running", "queued"}) ts[name] = reply.array<std::int64_t>();
  result["jobs"] = jobs;
  result["timeseries"] = ts;
  // Names the codes refer to.
  py::list classes, kinds, origins, sites;
  for (const auto& c : scenario.workload.classes) {
    classes.append(c.name);
    kinds.append(std::string(suanli::model::to_string(c.kind)));
  }
  for (const auto& c : scenario.cities) origins.append(c.name);
  for (const auto& d : scenario.demand_points) origins.append(d.name);
  for (const auto& s : scenario.sites) sites.append(s.name);
  result["classes"] = classes;
  result["class_kinds"] = kinds;
  result["origins"] = origins;
  result["sites"] = sites;
  py::list outcomes;
  for (auto o : {suanli::metrics::Outcome::kCompleted, suanli::metrics::Outcome::kRejected,
                 suanli::metrics::Outcome::kUnfinished, suanli::metrics::Outcome::kLost})
    outcomes.append(std::string(suanli::metrics::to_string(o)));
  result["outcomes"] = outcomes;
  return result;
}

py::object pue(const Scenario& sc, std::optional<double> it_load, double it_diurnal_amplitude) {
  const auto scenario = guarded([&] { return sc.read(); });
  auto reply = in_child([&](FrameWriter& out, json& status) {
    const suanli::energy::SiteWeather weather(scenario);
    const suanli::energy::GridCarbon carbon(scenario);
    const auto profile = suanli::capacity::annual_it_load(scenario, weather, carbon, it_load, it_diurnal_amplitude);
    const auto year = suanli::energy::annual_pue(scenario, weather, carbon, profile);
    out.frame(suanli::metrics::pue_report_json(scenario, weather, profile, year).dump());
    status = {{"ok", true}};
  });
  return to_python(json::parse(reply.next()));
}

py::object capacity(const Scenario& sc, bool growth, const std::string& from_run, double min_budget_attainment) {
  const auto scenario = guarded([&] { return sc.read(); });
  auto reply = in_child([&](FrameWriter& out, json& status) {
    if (growth) {
      const suanli::energy::SiteWeather weather(scenario);
      const suanli::energy::GridCarbon carbon(scenario);
      out.frame(suanli::capacity::growth_json(
                    suanli::capacity::compute_growth(scenario, weather, carbon, min_budget_attainment))
                    .dump());
    } else {
      std::optional<suanli::capacity::RunUsage> usage;
      if (!from_run.empty()) usage = suanli::capacity::read_run_usage(from_run, scenario);
      out.frame(suanli::capacity::headroom_json(suanli::capacity::compute_headroom(scenario, usage ? &*usage : nullptr))
                    .dump());
    }
    status = {{"ok", true}};
  });
  return to_python(json::parse(reply.next()));
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "suanli's C++ engine (use the suanli package, not this module)";
  m.attr("version") = suanli::kVersion;

  py::class_<Scenario>(m, "Scenario")
      .def_property_readonly("path", [](const Scenario& s) { return s.path; })
      .def_property_readonly("warnings", [](const Scenario& s) { return s.warnings; })
      .def_property_readonly("name", [](const Scenario& s) { return guarded([&] { return s.read().name; }); })
      .def("set",
           [](Scenario& s, const std::string& pointer, py::handle value) {
             const json v = from_python(value, pointer);
             guarded([&] { suanli::model::apply_scenario_edits(s.doc, {{pointer, v}}, "--set"); });
           })
      .def("validate", [](Scenario& s) { guarded([&] { s.warnings = s.read_warnings(); }); })
      .def("document", [](const Scenario& s) { return to_python(s.doc); })
      .def("resolved",
           [](const Scenario& s) { return to_python(guarded([&] { return suanli::model::scenario_to_json(s.read()); })); })
      .def("check", [](const Scenario& s) {
        return to_python(guarded([&] {
          const auto scenario = s.read();
          const suanli::topology::Graph graph(scenario);
          return suanli::metrics::check_report_json(scenario, suanli::topology::latency_circle(scenario, graph));
        }));
      });

  py::class_<PySite>(m, "SiteView")
      .def_property_readonly("name", [](const PySite& s) { return *s.name; })
      .def_property_readonly("city", [](const PySite& s) { return *s.city; })
      .def_property_readonly("kind", [](const PySite& s) { return *s.kind; })
      .def_property_readonly("index", [](const PySite& s) { return s.index; })
      .def_property_readonly("eligible", [](const PySite& s) { return s.view->eligible; })
      .def_property_readonly("latency_s", [](const PySite& s) { return s.view->latency_s; })
      .def_property_readonly("cores_total", [](const PySite& s) { return s.view->cores_total; })
      .def_property_readonly("cores_free", [](const PySite& s) { return s.view->cores_free; })
      .def_property_readonly("cores_off", [](const PySite& s) { return s.view->cores_off; })
      .def_property_readonly("gpus_total", [](const PySite& s) { return s.view->gpus_total; })
      .def_property_readonly("gpus_free", [](const PySite& s) { return s.view->gpus_free; })
      .def_property_readonly("gpus_off", [](const PySite& s) { return s.view->gpus_off; })
      .def_property_readonly("queued", [](const PySite& s) { return s.view->queued; })
      .def_property_readonly("running", [](const PySite& s) { return s.view->running; })
      .def_property_readonly("liquid_share", [](const PySite& s) { return s.view->liquid_share; })
      .def_property_readonly("job_it_w", [](const PySite& s) { return s.view->job_it_w; })
      .def_property_readonly("facility_w_per_it_w", [](const PySite& s) { return s.view->facility_w_per_it_w; })
      .def_property_readonly("carbon_kg_per_kwh", [](const PySite& s) { return s.view->carbon_kg_per_kwh; })
      .def("__repr__", [](const PySite& s) {
        return "<SiteView " + *s.name + (s.view->eligible ? "" : " (not eligible)") + ", " +
               std::to_string(s.view->cores_free) + "/" + std::to_string(s.view->cores_total) + " cores free>";
      });

  py::class_<PyRequest>(m, "Request")
      .def_property_readonly("job_id", [](const PyRequest& r) { return r.request->job.id; })
      .def_property_readonly("job_class", [](const PyRequest& r) { return r.job_class().name; })
      .def_property_readonly("kind", [](const PyRequest& r) { return std::string(suanli::model::to_string(r.job_class().kind)); })
      .def_property_readonly("cores", [](const PyRequest& r) { return r.request->job.cores; })
      .def_property_readonly("gpus", [](const PyRequest& r) { return r.request->job.gpus; })
      .def_property_readonly("runtime_s", [](const PyRequest& r) { return r.request->job.runtime_s; })
      .def_property_readonly("submit_s", [](const PyRequest& r) { return r.request->job.submit_s; })
      .def_property_readonly("deadline_s", [](const PyRequest& r) { return r.request->job.deadline_s; })
      .def_property_readonly("weight", [](const PyRequest& r) { return r.request->job.weight; })
      .def_property_readonly("origin",
                             [](const PyRequest& r) {
                               const auto& j = r.request->job;
                               return r.job_class().origin_level == suanli::model::OriginLevel::kCity
                                          ? r.scenario->cities[j.origin].name
                                          : r.scenario->demand_points[j.origin].name;
                             })
      .def_property_readonly("now_s", [](const PyRequest& r) { return r.request->now_s; })
      .def_property_readonly("budget_rtt_s", [](const PyRequest& r) { return r.request->budget_rtt_s; })
      .def_property_readonly("deferrable", [](const PyRequest& r) { return r.request->deferrable; });

  m.def("load_file", &load_file, py::arg("path"), py::arg("lenient") = false);
  m.def("load_dict", &load_dict, py::arg("doc"), py::arg("lenient") = false, py::arg("name") = "<dict>");
  m.def("run", &run, py::arg("scenario"), py::arg("seed"), py::arg("horizon_s"), py::arg("outputs"), py::arg("jobs"),
        py::arg("engine"), py::arg("gzip"), py::arg("decision_log"));
  m.def("pue", &pue, py::arg("scenario"), py::arg("it_load"), py::arg("it_diurnal_amplitude"));
  m.def("capacity", &capacity, py::arg("scenario"), py::arg("growth"), py::arg("from_run"),
        py::arg("min_budget_attainment"));
  m.attr("_placements") = py::dict();
  m.def(
      "register_placement",
      [m](const std::string& name, py::object fn, const std::string& summary) { register_placement(m, name, fn, summary); },
      py::arg("name"), py::arg("fn"), py::arg("summary") = "");
  m.def("placement_names", [] { return suanli::policy::placement_names(); });
}
