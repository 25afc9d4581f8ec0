// The `suanli._core` extension module (pybind11): scenarios, runs, annual PUE, capacity and Python
// placement policies. The Python-facing API is python/suanli/__init__.py; this file is its engine room.
//
// SimGrid allows one simulation per process (its clock and state are global), and oneTBB's workers do
// not survive fork(). So every run, PUE year and capacity study executes in a forked child process:
// the parent never starts SimGrid or TBB, any number of runs work in one Python process, and each run
// starts from a fresh engine. The child sends its results back through a pipe: the summary as JSON
// and the job and sample records as raw column arrays (no CSV is written or parsed).
#include <fcntl.h>
#include <poll.h>
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <ext/stdio_filebuf.h>
#include <filesystem>
#include <iostream>
#include <istream>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

#include "capacity/Growth.hpp"
#include "capacity/Headroom.hpp"
#include "cli/Cli.hpp"
#include "energy/AnnualPue.hpp"
#include "engine/Simulation.hpp"
#include "engine/Stepper.hpp"
#include "io/JsonReader.hpp"
#include "load/Load.hpp"
#include "metrics/CheckReport.hpp"
#include "metrics/PueReport.hpp"
#include "metrics/RunMetrics.hpp"
#include "model/Error.hpp"
#include "model/ScenarioReader.hpp"
#include "model/Validate.hpp"
#include "policy/Catalog.hpp"
#include "policy/Placement.hpp"
#include "policy/QueueScheduler.hpp"
#include "suanli/version.hpp"
#include "sweep/Runner.hpp"
#include "topology/Graph.hpp"
#include "topology/LatencyCircle.hpp"

namespace py = pybind11;
using nlohmann::json;

namespace {

// ---------------------------------------------------------------------------------------------------
// JSON <-> Python objects.

py::object to_python(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return py::none();
    case json::value_t::boolean:
      return py::bool_(j.get<bool>());
    case json::value_t::number_integer:
      return py::int_(j.get<std::int64_t>());
    case json::value_t::number_unsigned:
      return py::int_(j.get<std::uint64_t>());
    case json::value_t::number_float:
      return py::float_(j.get<double>());
    case json::value_t::string:
      return py::str(j.get_ref<const std::string&>());
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
    default:
      return py::none();
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
    out.push_back(
        {{"file", e.file()}, {"pointer", e.location()}, {"message", e.message()}, {"line", e.what()}});
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
  const suanli::model::JobClass& job_class() const {
    return scenario->workload.classes[request->job.job_class];
  }
};

/// A Python policy or queue discipline that raised, or returned something it may not: the run stops.
/// A user error naming the scenario field that chose the function: `suanli run` code (a sweep's run)
/// prints it as one line and exits 2; suanli.run raises PolicyError with the message and, when the
/// function raised, the Python traceback (`details`).
struct PolicyFailure : suanli::model::UserError {
  PolicyFailure(const std::string& file, const std::string& pointer, const std::string& message,
                std::string details_ = "")
      : suanli::model::UserError(file, pointer, message), details(std::move(details_)) {}
  std::string details;
};

/// The PolicyFailure for a Python exception raised by the function `who` (e.g. placement policy "x").
PolicyFailure raised(const py::error_already_set& e, const std::string& file, const std::string& pointer,
                     const std::string& who) {
  std::string line = e.what();
  line = line.substr(0, line.find('\n'));  // "KeyError: 'x'", before the traceback
  return PolicyFailure(file, pointer, who + " raised " + line, e.what());
}

class PythonPlacement final : public suanli::policy::PlacementPolicy {
 public:
  PythonPlacement(std::string name, py::object fn, const suanli::model::Scenario* scenario)
      : name_(std::move(name)), fn_(std::move(fn)), scenario_(scenario) {}
  // A stepped run (suanli.Stepper) calls and destroys policies on its simulation thread: every use of
  // a Python object takes the GIL.
  ~PythonPlacement() override {
    py::gil_scoped_acquire gil;
    fn_.release().dec_ref();  // each handle left null: nothing to release after the GIL is gone
    site_list_.release().dec_ref();
    request_object_.release().dec_ref();
  }

  std::optional<suanli::policy::PlacementDecision> place(const suanli::policy::PlacementRequest& r) override {
    py::gil_scoped_acquire gil;
    if (!scenario_) throw std::logic_error("Python placement policy made without the run's scenario");
    if (sites_.size() != r.sites.size() || data_ != r.sites.data()) build(r);
    request_.request = &r;
    const std::string pointer = "/workload/classes/" + std::to_string(r.job.job_class) + "/placement";
    py::object choice;
    try {
      choice = fn_(request_object_, site_list_);
    } catch (const py::error_already_set& e) {
      throw raised(e, scenario_->source_file, pointer, "placement policy \"" + name_ + "\"");
    }
    if (choice.is_none()) return std::nullopt;
    std::size_t index = 0;
    if (py::isinstance<PySite>(choice)) {
      index = choice.cast<const PySite&>().index;
    } else if (py::isinstance<py::str>(choice)) {
      const auto it = by_name_.find(choice.cast<std::string>());
      if (it == by_name_.end())
        throw PolicyFailure(scenario_->source_file, pointer,
                            "placement policy \"" + name_ + "\" returned \"" + choice.cast<std::string>() +
                                "\", which is no site of the scenario");
      index = it->second;
    } else {
      throw PolicyFailure(scenario_->source_file, pointer,
                          "placement policy \"" + name_ + "\" returned a " +
                              std::string(py::str(choice.get_type().attr("__name__"))) +
                              "; return one of the sites given, its name, or None");
    }
    return suanli::policy::PlacementDecision{index, r.now_s};
  }

 private:
  void build(const suanli::policy::PlacementRequest& r) {
    const auto& s = *scenario_;
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
  const suanli::model::Scenario* scenario_;
  std::vector<PySite> sites_;
  std::vector<std::string> kinds_;
  std::unordered_map<std::string, std::size_t> by_name_;
  py::list site_list_;
  PyRequest request_;
  py::object request_object_;
  const suanli::policy::SiteView* data_ = nullptr;
};

void register_placement(py::module_ m, const std::string& name, py::object fn, const std::string& summary) {
  if (!PyCallable_Check(fn.ptr()))
    throw py::type_error("register_placement: fn must be callable as fn(request, sites)");
  // The module's dict owns the callable; the registry (a C++ static, destroyed after the interpreter)
  // holds a borrowed handle, which must not be released then.
  const py::handle borrowed = fn;
  try {
    suanli::policy::add_placement(name, summary.empty() ? "Python: " + name : summary,
                                  [name, borrowed](suanli::policy::PolicyParams& params) {
                                    py::gil_scoped_acquire gil;
                                    return std::make_unique<PythonPlacement>(
                                        name, py::reinterpret_borrow<py::object>(borrowed),
                                        params.scenario());
                                  });
  } catch (const suanli::policy::PolicyError& e) {
    throw py::value_error(e.what());
  }
  m.attr("_placements")[py::str(name)] = fn;
}

// ---------------------------------------------------------------------------------------------------
// Python queue disciplines.

/// A waiting job as a Python queue discipline sees it: one object per job while it waits.
struct PyWaiting {
  suanli::policy::WaitingJob job;
  std::size_t position = 0;  ///< index in state.waiting (the queue's order) of the latest call
  py::object job_class;      ///< the class's name (a str shared by the jobs of the class)
};

/// A running job of the pool.
struct PyRunning {
  suanli::policy::RunningJob job;
};

/// One call's state: the pool, the moment, its free capacity, the waiting and running jobs.
struct PyQueueState {
  const suanli::policy::QueueState* state = nullptr;
  py::object site;  ///< the site's name
  py::object pool;  ///< "cpu" or "gpu"
  py::list waiting, running;
  bool running_made = false;

  const py::list& running_list() {
    if (!running_made && state) {
      running = py::list(state->running.size());
      for (std::size_t i = 0; i < state->running.size(); ++i)
        PyList_SET_ITEM(running.ptr(), static_cast<py::ssize_t>(i),
                        py::cast(PyRunning{state->running[i]}).release().ptr());
      running_made = true;
    }
    return running;
  }
};

std::string type_name(py::handle h) { return std::string(py::str(h.get_type().attr("__name__"))); }

class PythonQueue final : public suanli::policy::QueueScheduler {
 public:
  PythonQueue(std::string name, py::object fn, bool backfill, const suanli::policy::QueueContext& context)
      : name_(std::move(name)), fn_(std::move(fn)), backfill_(backfill) {
    py::gil_scoped_acquire gil;
    if (context.scenario) {
      file_ = context.scenario->source_file;
      for (const auto& c : context.scenario->workload.classes) class_names_.push_back(py::str(c.name));
      state_.site = py::str(context.scenario->sites.at(context.site).name);
    } else {
      state_.site = py::str("");
    }
    state_.pool = py::str(context.gpu_pool ? "gpu" : "cpu");
    state_object_ = py::cast(&state_, py::return_value_policy::reference);
  }

  ~PythonQueue() override {
    py::gil_scoped_acquire gil;
    fn_.release().dec_ref();  // each handle left null: nothing to release after the GIL is gone
    class_names_.clear();
    waiting_.clear();
    for (auto* o : {&state_.site, &state_.pool, &state_object_}) o->release().dec_ref();
    state_.waiting.release().dec_ref();
    state_.running.release().dec_ref();
  }

  std::string_view name() const override { return name_; }

  void schedule(const suanli::policy::QueueState& state,
                const std::function<bool(std::size_t)>& try_start) override {
    py::gil_scoped_acquire gil;
    const std::size_t n = state.queue.size();
    state_.state = &state;
    // A job keeps its object while it waits (its position updated each call): making a Python object
    // costs more than finding it again.
    ++generation_;
    state_.waiting = py::list(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto& job = state.queue[i];
      auto it = waiting_.find(job.id);
      if (it == waiting_.end()) {
        py::object cls = job.job_class < class_names_.size() ? class_names_[job.job_class] : py::str("");
        py::object view = py::cast(PyWaiting{job, i, std::move(cls)});
        auto* raw = view.cast<PyWaiting*>();
        it = waiting_.emplace(job.id, Cached{std::move(view), raw, 0}).first;
      }
      it->second.view->job = job;
      it->second.view->position = i;
      it->second.generation = generation_;
      PyList_SET_ITEM(state_.waiting.ptr(), static_cast<py::ssize_t>(i), it->second.object.inc_ref().ptr());
    }
    if (waiting_.size() > n)  // jobs that left the queue
      std::erase_if(waiting_, [this](const auto& entry) { return entry.second.generation != generation_; });
    state_.running = py::list();  // made when the function first reads it (many disciplines never do)
    state_.running_made = false;
    py::object order;
    try {
      order = fn_(state_object_);
    } catch (const py::error_already_set& e) {
      throw raised(e, file_, "/scheduling/queue", "queue discipline \"" + name_ + "\"");
    }
    positions(order, n);
    state_.state = nullptr;
    for (const auto position : order_)
      if (!try_start(position) && !backfill_) break;
  }

 private:
  /// The positions `order` names, checked, into order_.
  void positions(const py::object& order, std::size_t n) {
    const std::string how =
        "; return a list of positions in state.waiting, or of its jobs (an empty list starts nothing)";
    if (order.is_none()) fail("returned None" + how);
    if (py::isinstance<py::str>(order) || py::isinstance<py::dict>(order) || !py::hasattr(order, "__iter__"))
      fail("returned a " + type_name(order) + how);
    order_.clear();
    offered_.assign(n, 0);
    try {
      take(order);
    } catch (const py::error_already_set& e) {  // iterating what it returned raised
      throw raised(e, file_, "/scheduling/queue", "queue discipline \"" + name_ + "\" (what it returned)");
    }
  }

  void take(const py::object& order) {
    const std::size_t n = offered_.size();
    const std::string how =
        "; return a list of positions in state.waiting, or of its jobs (an empty list starts nothing)";
    for (const auto item : order) {
      std::size_t position = 0;
      if (py::isinstance<PyWaiting>(item)) {
        position = item.cast<const PyWaiting&>().position;
      } else if (!PyBool_Check(item.ptr()) && PyIndex_Check(item.ptr())) {
        const auto value = py::reinterpret_steal<py::object>(PyNumber_Index(item.ptr()));
        if (!value) throw py::error_already_set();
        const long long v = PyLong_AsLongLong(value.ptr());
        if (v == -1 && PyErr_Occurred()) PyErr_Clear();
        if (v < 0 || static_cast<std::size_t>(v) >= n)
          fail("returned position " + std::string(py::str(value)) + ", outside state.waiting (" +
               (n == 0 ? std::string("which is empty") : "0 to " + std::to_string(n - 1)) + ")");
        position = static_cast<std::size_t>(v);
      } else {
        fail("returned a list holding a " + type_name(item) + how);
      }
      if (offered_[position]) fail("returned position " + std::to_string(position) + " twice");
      offered_[position] = 1;
      order_.push_back(position);
    }
  }

  /// The run stops: the discipline returned something it may not.
  [[noreturn]] void fail(const std::string& what) const {
    throw PolicyFailure(file_, "/scheduling/queue", "queue discipline \"" + name_ + "\" " + what);
  }

  struct Cached {
    py::object object;
    PyWaiting* view;
    std::uint64_t generation;
  };

  std::string name_;
  std::string file_;
  py::object fn_;
  bool backfill_;
  std::unordered_map<std::uint64_t, Cached> waiting_;  ///< by job id: the jobs of the last call
  std::uint64_t generation_ = 0;
  std::vector<py::object> class_names_;
  PyQueueState state_;
  py::object state_object_;
  std::vector<std::size_t> order_;
  std::vector<char> offered_;
};

void register_queue(py::module_ m, const std::string& name, py::object fn, bool backfill,
                    const std::string& summary) {
  if (!PyCallable_Check(fn.ptr())) throw py::type_error("register_queue: fn must be callable as fn(state)");
  const py::handle borrowed = fn;  // owned by the module's dict, as for placements
  try {
    suanli::policy::add_queue_scheduler(
        name, summary.empty() ? std::string("Python: ") + name + (backfill ? " (backfill)" : "") : summary,
        [name, borrowed, backfill](const suanli::policy::QueueContext& context) {
          py::gil_scoped_acquire gil;
          return std::make_unique<PythonQueue>(name, py::reinterpret_borrow<py::object>(borrowed), backfill,
                                               context);
        });
  } catch (const std::invalid_argument& e) {
    throw py::value_error(e.what());
  }
  m.attr("_queues")[py::str(name)] = fn;
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
    if (bytes.size() - pos < sizeof len)
      throw std::runtime_error("truncated reply from the run's child process");
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

/// A forked child's status for the exception being handled (call it inside a catch block):
/// {"python": ...} for a failing Python policy or Python error, {"errors": [...]} for the user's
/// errors, {"internal": ...} otherwise. The parent raises the matching Python exception.
json child_status_of_current_exception() {
  try {
    throw;
  } catch (const PolicyFailure& e) {
    return {{"python", e.details.empty() ? e.message() : e.message() + "\n" + e.details}};
  } catch (const suanli::model::UserErrors& e) {
    return {{"errors", user_errors_json(e.errors())}};
  } catch (const suanli::model::UserError& e) {
    return {{"errors", user_errors_json({e})}};
  } catch (py::error_already_set& e) {
    return {{"python", e.what()}};
  } catch (const std::exception& e) {
    return {{"internal", e.what()}};
  } catch (...) {
    return {{"internal", "unknown exception"}};
  }
}

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
    try {
      work(out, status);
    } catch (...) {
      status = child_status_of_current_exception();
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
    raise_named("InternalError", "the run's child process died of signal " +
                                     std::to_string(WTERMSIG(wstatus)) + " (" + strsignal(WTERMSIG(wstatus)) +
                                     ")");
  std::uint64_t len = 0;
  if (reply.bytes.size() < 2 * sizeof len)
    raise_named("InternalError", "the run's child process sent no result");
  std::memcpy(&len, reply.bytes.data() + reply.bytes.size() - sizeof len, sizeof len);
  if (len + 2 * sizeof len > reply.bytes.size())
    raise_named("InternalError", "garbled reply from the run's child process");
  const json status = json::parse(reply.bytes.substr(reply.bytes.size() - sizeof len - len, len));
  reply.bytes.resize(reply.bytes.size() - 2 * sizeof len - len);
  if (status.contains("errors")) raise_scenario_error(status["errors"]);
  if (status.contains("python")) raise_named("PolicyError", status["python"].get<std::string>());
  if (status.contains("internal")) raise_named("InternalError", status["internal"].get<std::string>());
  return reply;
}

// ---------------------------------------------------------------------------------------------------
// Runs.

/// The scenario of a run: read, with the run-time arguments applied as `suanli run` applies its
/// options (--seed, --horizon-s, --growth-month, --outage, in that order), then validated again.
suanli::model::Scenario run_scenario(const Scenario& sc, std::optional<std::uint64_t> seed,
                                     std::optional<double> horizon_s, const std::string& outputs,
                                     const std::string& engine, std::optional<std::int64_t> growth_month,
                                     const std::vector<std::string>& outages) {
  namespace fs = std::filesystem;
  if (engine != "exact" && engine != "simgrid")
    throw py::value_error("engine must be \"exact\" or \"simgrid\", got \"" + engine + "\"");
  if (growth_month && *growth_month < 0)
    throw py::value_error("growth_month: expected a whole number of months >= 0, got " +
                          std::to_string(*growth_month));
  auto scenario = guarded([&] { return sc.read(); });
  if (seed) scenario.seed = *seed;
  if (horizon_s) scenario.horizon_s = *horizon_s;
  guarded([&] {
    if (growth_month) {
      if (!scenario.growth.present)
        throw suanli::model::UserError(
            sc.path, "/growth", "growth_month needs a growth section in the scenario (docs/capacity.md)");
      scenario = suanli::capacity::scenario_at_month(scenario, *growth_month);
    }
    for (const auto& text : outages) scenario.outages.push_back(suanli::model::parse_outage(text, "outages"));
  });
  guarded([&] {
    if (!outputs.empty() && fs::exists(outputs) && !fs::is_directory(outputs))
      throw suanli::model::UserError(outputs, "",
                                     "exists and is not a folder; give a folder for the outputs");
    if (horizon_s || growth_month || !outages.empty()) {
      auto errors = suanli::load::validate(scenario);
      if (!errors.empty()) throw suanli::model::UserErrors(std::move(errors));
    }
    suanli::engine::check_runnable(scenario);
  });
  return scenario;
}

py::dict run(const Scenario& sc, std::optional<std::uint64_t> seed, std::optional<double> horizon_s,
             const std::string& outputs, bool keep_jobs, const std::string& engine, bool gzip,
             bool decision_log, std::optional<std::int64_t> growth_month,
             const std::vector<std::string>& outages) {
  const auto scenario = run_scenario(sc, seed, horizon_s, outputs, engine, growth_month, outages);
  auto reply = in_child([&](FrameWriter& out, json& status) {
    suanli::metrics::RunColumns columns;
    columns.keep_jobs = keep_jobs;
    suanli::engine::RunOptions options;
    options.output_dir = outputs;
    options.gzip = gzip;
    options.decision_log = decision_log;
    options.columns = &columns;
    options.executor =
        engine == "simgrid" ? suanli::engine::ExecutorKind::kSimGrid : suanli::engine::ExecutorKind::kExact;
    const auto summary = suanli::engine::run_simulation(scenario, options);
    out.frame(summary.dump());
    out.frame(json(columns.reasons).dump());
    const auto& j = columns.jobs;
    for (const auto* v : {&j.id, &j.trace_id}) out.frame(*v);
    for (const auto* v : {&j.job_class, &j.origin, &j.site, &j.outcome, &j.reason, &j.cores, &j.gpus})
      out.frame(*v);
    for (const auto* v : {&j.budget_met, &j.deadline_met}) out.frame(*v);
    for (const auto* v : {&j.submit_s, &j.start_s, &j.end_s, &j.wait_s, &j.runtime_s, &j.network_rtt_s,
                          &j.budget_s, &j.weight, &j.energy_j})
      out.frame(*v);
    const auto& t = columns.timeseries;
    for (const auto* v : {&t.time_s, &t.cpu_utilization, &t.gpu_utilization, &t.it_power_w, &t.loss_w,
                          &t.cooling_w, &t.overhead_w, &t.facility_w, &t.pue, &t.free_cooling, &t.dry_bulb_c,
                          &t.wet_bulb_c, &t.carbon_kg_per_h})
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
  for (const char* name : {"submit_s", "start_s", "end_s", "wait_s", "runtime_s", "network_rtt_s", "budget_s",
                           "weight", "energy_j"})
    jobs[name] = reply.array<double>();
  py::dict ts;
  for (const char* name :
       {"time_s", "cpu_utilization", "gpu_utilization", "it_power_w", "loss_w", "cooling_w", "overhead_w",
        "facility_w", "pue", "free_cooling", "dry_bulb_c", "wet_bulb_c", "carbon_kg_per_h"})
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
    const auto profile =
        suanli::capacity::annual_it_load(scenario, weather, carbon, it_load, it_diurnal_amplitude);
    const auto year = suanli::energy::annual_pue(scenario, weather, carbon, profile);
    out.frame(suanli::metrics::pue_report_json(scenario, weather, profile, year).dump());
    status = {{"ok", true}};
  });
  return to_python(json::parse(reply.next()));
}

py::object capacity(const Scenario& sc, bool growth, const std::string& from_run,
                    double min_budget_attainment) {
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
      out.frame(suanli::capacity::headroom_json(
                    suanli::capacity::compute_headroom(scenario, usage ? &*usage : nullptr))
                    .dump());
    }
    status = {{"ok", true}};
  });
  return to_python(json::parse(reply.next()));
}

// ---------------------------------------------------------------------------------------------------
// A stepped run (suanli.Stepper): a child forked for it runs the engine's Stepper and speaks the
// `suanli step` protocol (engine::run_step_protocol) over two pipes, JSON lines each way. When the
// protocol ends (its input closed, "quit", or a run that failed), the child writes the line
// {"end":true} and a status line ({"ok":true}, {"errors":[...]}, {"python":"..."}, {"internal":"..."}).

constexpr const char* kStepEnd = "{\"end\":true}";

class StepChild {
 public:
  StepChild(const Scenario& sc, std::optional<std::uint64_t> seed, std::optional<double> horizon_s,
            const std::string& outputs, const std::string& engine, std::optional<std::int64_t> growth_month,
            const std::vector<std::string>& outages, bool full_horizon) {
    const auto scenario = run_scenario(sc, seed, horizon_s, outputs, engine, growth_month, outages);
    int cmd[2], rep[2];
    if (::pipe(cmd) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    if (::pipe(rep) != 0) {
      ::close(cmd[0]);
      ::close(cmd[1]);
      throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    py::module_::import("sys").attr("stdout").attr("flush")();
    py::module_::import("sys").attr("stderr").attr("flush")();
    std::cout.flush();
    std::fflush(nullptr);
    PyOS_BeforeFork();
    pid_ = ::fork();
    if (pid_ == 0) {
      PyOS_AfterFork_Child();
      ::close(cmd[1]);
      ::close(rep[0]);
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      serve(scenario, cmd[0], rep[1], outputs, engine, full_horizon);  // never returns
    }
    PyOS_AfterFork_Parent();
    ::close(cmd[0]);
    ::close(rep[1]);
    if (pid_ < 0) {
      ::close(cmd[1]);
      ::close(rep[0]);
      throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    to_child_ = cmd[1];
    from_child_ = rep[0];
  }

  ~StepChild() { kill(); }

  /// The first line: {"ok":true,"layout":...,"state":...}.
  std::string start() { return reply(); }

  /// Sends one command line; returns the reply line. Raises the child's error when the run ended.
  std::string command(const std::string& line) {
    if (to_child_ < 0) raise_named("InternalError", "the stepped run is over");
    const std::string text = line + "\n";
    const char* p = text.data();
    std::size_t n = text.size();
    while (n > 0) {
      const ssize_t w = ::write(to_child_, p, n);
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) break;  // the child is gone: its status tells why
      p += w;
      n -= static_cast<std::size_t>(w);
    }
    return reply();
  }

  /// Closes the commands' pipe (the protocol ends), reads the status and reaps the child. Returns the
  /// run's summary (JSON) when it finished, else "".
  std::string close() {
    std::string summary;
    if (to_child_ >= 0) {
      ::close(to_child_);
      to_child_ = -1;
      for (;;) {
        const std::string line = read_line();
        if (line == kStepEnd || line.empty()) break;
      }
      const std::string status = read_line();
      if (!status.empty()) {
        const json j = json::parse(status);
        if (j.contains("summary")) summary = j["summary"].dump();
      }
      ended(status);
    }
    kill();
    return summary;
  }

  void kill() {
    if (to_child_ >= 0) ::close(to_child_);
    if (from_child_ >= 0) ::close(from_child_);
    to_child_ = from_child_ = -1;
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
      }
      pid_ = -1;
    }
  }

 private:
  [[noreturn]] static void serve(const suanli::model::Scenario& scenario, int in_fd, int out_fd,
                                 const std::string& outputs, const std::string& engine, bool full_horizon) {
    __gnu_cxx::stdio_filebuf<char> in_buf(in_fd, std::ios::in), out_buf(out_fd, std::ios::out);
    std::istream in(&in_buf);
    std::ostream out(&out_buf);
    json status = {{"ok", true}};
    {
      // The simulation runs on the Stepper's thread, which takes the GIL to call Python policies.
      py::gil_scoped_release release;
      try {
        suanli::engine::RunOptions options;
        options.output_dir = outputs;
        options.full_horizon = full_horizon;
        options.executor = engine == "simgrid" ? suanli::engine::ExecutorKind::kSimGrid
                                               : suanli::engine::ExecutorKind::kExact;
        suanli::engine::Stepper stepper(scenario, options);
        suanli::engine::run_step_protocol(stepper, in, out);
        if (stepper.finished()) status["summary"] = stepper.summary();
      } catch (...) {
        status = child_status_of_current_exception();
      }
    }
    out << kStepEnd << '\n' << status.dump() << '\n' << std::flush;
    std::fflush(nullptr);
    ::_exit(0);
  }

  /// The next line from the child ("" at its end); Ctrl-C kills the child and raises KeyboardInterrupt.
  std::string read_line() {
    for (;;) {
      const auto eol = buffer_.find('\n');
      if (eol != std::string::npos) {
        std::string line = buffer_.substr(0, eol);
        buffer_.erase(0, eol + 1);
        return line;
      }
      if (from_child_ < 0) return "";
      char chunk[1 << 16];
      ssize_t n = 0;
      bool interrupted = false;
      {
        py::gil_scoped_release release;
        for (;;) {
          pollfd p{from_child_, POLLIN, 0};
          const int ready = ::poll(&p, 1, 200);
          if (ready <= 0) {
            py::gil_scoped_acquire acquire;
            if (PyErr_CheckSignals() != 0) {
              interrupted = true;
              break;
            }
            continue;
          }
          n = ::read(from_child_, chunk, sizeof chunk);
          if (n < 0 && errno == EINTR) continue;
          break;
        }
      }
      if (interrupted) {
        kill();
        throw py::error_already_set();
      }
      if (n <= 0) {
        ::close(from_child_);
        from_child_ = -1;
        if (buffer_.empty()) return "";
        std::string line;
        std::swap(line, buffer_);
        return line;
      }
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  /// A reply line; at the protocol's end (or a reply saying the run failed), the child's error raised.
  std::string reply() {
    std::string line = read_line();
    if (line.empty()) {
      kill();
      raise_named("InternalError", "the stepped run's child process ended without a reply");
    }
    if (line == kStepEnd) {
      ended(read_line());
      raise_named("InternalError", "the stepped run ended");
    }
    if (line.find("\"fatal\":true") != std::string::npos) {
      while (!line.empty() && line != kStepEnd) line = read_line();
      ended(read_line());
    }
    return line;
  }

  /// Reaps the child and raises its error, if any.
  void ended(const std::string& status_line) {
    kill();
    if (status_line.empty()) raise_named("InternalError", "the stepped run's child process sent no status");
    const json status = json::parse(status_line);
    if (status.contains("errors")) raise_scenario_error(status["errors"]);
    if (status.contains("python")) raise_named("PolicyError", status["python"].get<std::string>());
    if (status.contains("internal")) raise_named("InternalError", status["internal"].get<std::string>());
  }

  pid_t pid_ = -1;
  int to_child_ = -1, from_child_ = -1;
  std::string buffer_;
};

// ---------------------------------------------------------------------------------------------------
// Sweeps whose runs call Python policies: each run is `suanli run` executed by the CLI's code in a
// child forked from this process (which knows the policies registered here), at most `jobs` at once.
// No oneTBB here: the sweep's own runner would start oneTBB's workers in this process, and neither
// they nor the GIL survive fork().

/// Forks a child that runs the command line `launch.args` with its output to launch.log.
pid_t fork_cli(const suanli::sweep::RunLaunch& launch) {
  const int fd = ::open(launch.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    throw suanli::model::UserError(launch.log, "", std::string("cannot create: ") + std::strerror(errno));
  py::module_::import("sys").attr("stdout").attr("flush")();
  py::module_::import("sys").attr("stderr").attr("flush")();
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  const pid_t parent = ::getpid();
  PyOS_BeforeFork();
  const pid_t pid = ::fork();
  if (pid == 0) {
    PyOS_AfterFork_Child();
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // a killed Python process leaves no orphan runs
    if (::getppid() != parent) ::_exit(127);
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    std::vector<std::string> args = launch.args;
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int code = 3;
    try {
      code = suanli::cli::main(static_cast<int>(args.size()), argv.data());
    } catch (...) {
    }
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    ::_exit(code);
  }
  PyOS_AfterFork_Parent();
  ::close(fd);
  if (pid < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  return pid;
}

void launch_forked(std::size_t count, int jobs,
                   const std::function<suanli::sweep::RunLaunch(std::size_t)>& prepare,
                   const std::function<void(std::size_t, int)>& done) {
  std::vector<std::pair<pid_t, std::size_t>> active;  // (child, run)
  std::size_t next = 0;
  std::exception_ptr error;
  bool interrupted = false;
  const auto max_active = static_cast<std::size_t>(std::max(1, jobs));
  while ((next < count && !error && !interrupted) || !active.empty()) {
    while (next < count && !error && !interrupted && active.size() < max_active) {
      try {
        active.emplace_back(fork_cli(prepare(next)), next);
        ++next;
      } catch (...) {
        error = std::current_exception();
      }
    }
    std::vector<std::pair<std::size_t, int>> ended;
    {
      py::gil_scoped_release release;
      for (auto it = active.begin(); it != active.end();) {
        int status = 0;
        const pid_t r = ::waitpid(it->first, &status, WNOHANG);
        if (r == it->first || (r < 0 && errno != EINTR)) {
          const int code = r < 0                 ? 255
                           : WIFEXITED(status)   ? WEXITSTATUS(status)
                           : WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                                 : 255;
          ended.emplace_back(it->second, code);
          it = active.erase(it);
        } else {
          ++it;
        }
      }
      if (ended.empty()) ::usleep(20000);
    }
    for (const auto& [run, code] : ended) {
      try {
        done(run, code);
      } catch (...) {
        if (!error) error = std::current_exception();
      }
    }
    if (!interrupted && PyErr_CheckSignals() != 0) {  // Ctrl-C: KeyboardInterrupt, the runs killed
      interrupted = true;
      for (const auto& [pid, run] : active) ::kill(pid, SIGKILL);
      py::gil_scoped_release release;
      for (const auto& [pid, run] : active)
        while (::waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
      active.clear();
    }
  }
  if (interrupted) throw py::error_already_set();
  if (error) std::rethrow_exception(error);
}

py::dict sweep(const std::string& spec_path, const std::string& output, int jobs, bool resume) {
  const auto spec = guarded([&] { return suanli::sweep::read_sweep(spec_path); });
  suanli::sweep::SweepOptions options;
  options.output_dir = output;
  options.suanli_binary = "suanli";
  options.jobs = jobs;
  options.resume = resume;
  options.launcher = launch_forked;
  options.quiet = true;  // as the `suanli sweep` child of the other path, whose stderr is not shown
  const auto outcome = guarded([&] {
    try {
      return suanli::sweep::run_sweep(spec, options);
    } catch (const std::filesystem::filesystem_error& e) {
      throw suanli::model::UserError(e.path1().string(), "", e.code().message());
    }
  });
  py::dict out;
  out["ok"] = outcome.ok;
  out["failed"] = outcome.failed;
  out["skipped"] = outcome.skipped;
  out["any_failed"] = std::any_of(outcome.results.begin(), outcome.results.end(),
                                  [](const auto& r) { return r.status != "ok"; });
  return out;
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
           [](const Scenario& s) {
             return to_python(guarded([&] { return suanli::model::scenario_to_json(s.read()); }));
           })
      .def("check", [](const Scenario& s) {
        return to_python(guarded([&] {
          const auto scenario = s.read();
          const suanli::topology::Graph graph(scenario);
          return suanli::metrics::check_report_json(scenario,
                                                    suanli::topology::latency_circle(scenario, graph));
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
      .def_property_readonly("facility_w_per_it_w",
                             [](const PySite& s) { return s.view->facility_w_per_it_w; })
      .def_property_readonly("carbon_kg_per_kwh", [](const PySite& s) { return s.view->carbon_kg_per_kwh; })
      .def("__repr__", [](const PySite& s) {
        return "<SiteView " + *s.name + (s.view->eligible ? "" : " (not eligible)") + ", " +
               std::to_string(s.view->cores_free) + "/" + std::to_string(s.view->cores_total) +
               " cores free>";
      });

  py::class_<PyWaiting>(m, "WaitingJob")
      .def_property_readonly("id", [](const PyWaiting& w) { return w.job.id; })
      .def_property_readonly("position", [](const PyWaiting& w) { return w.position; })
      .def_property_readonly("cores", [](const PyWaiting& w) { return w.job.cores; })
      .def_property_readonly("gpus", [](const PyWaiting& w) { return w.job.gpus; })
      .def_property_readonly("requested_s", [](const PyWaiting& w) { return w.job.estimate_s; })
      .def_property_readonly("submit_s", [](const PyWaiting& w) { return w.job.submit_s; })
      .def_property_readonly("job_class", [](const PyWaiting& w) { return w.job_class; })
      .def("__repr__", [](const PyWaiting& w) {
        return "<WaitingJob " + std::to_string(w.job.id) + " at " + std::to_string(w.position) + ": " +
               std::to_string(w.job.cores) + " cores, " + std::to_string(w.job.gpus) + " GPUs>";
      });

  py::class_<PyRunning>(m, "RunningJob")
      .def_property_readonly("expected_end_s", [](const PyRunning& r) { return r.job.expected_end_s; })
      .def_property_readonly("cores", [](const PyRunning& r) { return r.job.cores; })
      .def_property_readonly("gpus", [](const PyRunning& r) { return r.job.gpus; });

  py::class_<PyQueueState>(m, "QueueState")
      .def_property_readonly("now_s", [](const PyQueueState& q) { return q.state ? q.state->now_s : 0.0; })
      .def_property_readonly("cores_free",
                             [](const PyQueueState& q) { return q.state ? q.state->cores_free : 0; })
      .def_property_readonly("gpus_free",
                             [](const PyQueueState& q) { return q.state ? q.state->gpus_free : 0; })
      .def_property_readonly("site", [](const PyQueueState& q) { return q.site; })
      .def_property_readonly("pool", [](const PyQueueState& q) { return q.pool; })
      .def_property_readonly("waiting", [](const PyQueueState& q) { return q.waiting; })
      .def_property_readonly("running", [](PyQueueState& q) { return q.running_list(); })
      .def("__repr__", [](const PyQueueState& q) {
        return "<QueueState " + std::string(py::str(q.site)) + "/" + std::string(py::str(q.pool)) + ": " +
               std::to_string(q.waiting.size()) + " waiting, " +
               std::to_string(q.state ? q.state->running.size() : q.running.size()) + " running>";
      });

  py::class_<PyRequest>(m, "Request")
      .def_property_readonly("job_id", [](const PyRequest& r) { return r.request->job.id; })
      .def_property_readonly("job_class", [](const PyRequest& r) { return r.job_class().name; })
      .def_property_readonly(
          "kind",
          [](const PyRequest& r) { return std::string(suanli::model::to_string(r.job_class().kind)); })
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
  m.def("run", &run, py::arg("scenario"), py::arg("seed"), py::arg("horizon_s"), py::arg("outputs"),
        py::arg("jobs"), py::arg("engine"), py::arg("gzip"), py::arg("decision_log"), py::arg("growth_month"),
        py::arg("outages"));
  py::class_<StepChild>(m, "StepChild")
      .def(py::init<const Scenario&, std::optional<std::uint64_t>, std::optional<double>, const std::string&,
                    const std::string&, std::optional<std::int64_t>, const std::vector<std::string>&, bool>(),
           py::arg("scenario"), py::arg("seed"), py::arg("horizon_s"), py::arg("outputs"), py::arg("engine"),
           py::arg("growth_month"), py::arg("outages"), py::arg("full_horizon"))
      .def("start", &StepChild::start)
      .def("command", &StepChild::command, py::arg("line"))
      .def("close", &StepChild::close)
      .def("kill", &StepChild::kill);
  m.def("sweep", &sweep, py::arg("spec"), py::arg("output"), py::arg("jobs"), py::arg("resume"));
  m.def("pue", &pue, py::arg("scenario"), py::arg("it_load"), py::arg("it_diurnal_amplitude"));
  m.def("capacity", &capacity, py::arg("scenario"), py::arg("growth"), py::arg("from_run"),
        py::arg("min_budget_attainment"));
  m.attr("_placements") = py::dict();
  m.def(
      "register_placement",
      [m](const std::string& name, py::object fn, const std::string& summary) {
        register_placement(m, name, fn, summary);
      },
      py::arg("name"), py::arg("fn"), py::arg("summary") = "");
  m.def("placement_names", [] { return suanli::policy::placement_names(); });
  m.attr("_queues") = py::dict();
  m.def(
      "register_queue",
      [m](const std::string& name, py::object fn, bool backfill, const std::string& summary) {
        register_queue(m, name, fn, backfill, summary);
      },
      py::arg("name"), py::arg("fn"), py::arg("backfill") = false, py::arg("summary") = "");
  m.def("queue_names", [] { return suanli::policy::queue_scheduler_names(); });
  m.def("policies", [] { return to_python(suanli::policy::policies_json()); });
}
