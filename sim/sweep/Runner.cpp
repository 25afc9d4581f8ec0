// Sweep execution: child processes under a oneTBB arena, atomic run folders, tables and SQLite.
#include "sweep/Runner.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "io/JsonReader.hpp"
#include "io/OutputFile.hpp"
#include "metrics/Progress.hpp"
#include "model/Error.hpp"
#include "suanli/version.hpp"
#include "sweep/Sha256.hpp"

namespace suanli::sweep {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

void write_atomically(const fs::path& path, const std::string& text) {
  io::OutputFile f(path.string());
  f.write(text);
  f.commit();
}

std::string read_file(const fs::path& path) { return io::read_text_file(path.string()); }

/// Runs argv with stdout and stderr to `log`; returns the exit code (128 + signal if killed). The
/// child dies with this process (PR_SET_PDEATHSIG), so a killed sweep leaves no orphan runs.
int spawn(const std::vector<std::string>& args, const fs::path& log) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw model::UserError(log.string(), "", std::string("cannot create: ") + std::strerror(errno));
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fd);
    throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) {  // child: only async-signal-safe calls until exec
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(fd);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw std::runtime_error(std::string("waitpid failed: ") + std::strerror(errno));
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

/// The first "error: ..." line of a run's log, else its last non-empty line.
std::string error_line(const fs::path& log) {
  std::ifstream in(log);
  std::string line, last, first_error;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
    if (first_error.empty() && line.rfind("error: ", 0) == 0) first_error = line.substr(7);
  }
  return first_error.empty() ? last : first_error;
}

/// SHA-256 of input files, each hashed once per sweep.
class FileHashes {
 public:
  std::string of(const std::string& path) {
    {
      std::lock_guard lock(mutex_);
      if (auto it = cache_.find(path); it != cache_.end()) return it->second;
    }
    std::string h;
    try {
      h = sha256_file(path);
    } catch (const model::UserError&) {
      h = "unreadable";
    }
    std::lock_guard lock(mutex_);
    return cache_.emplace(path, h).first->second;
  }

 private:
  std::mutex mutex_;
  std::map<std::string, std::string> cache_;
};

/// Input files a resolved scenario names, resolved against the base scenario's folder.
std::vector<std::string> input_files(const json& scenario, const fs::path& base_dir) {
  std::vector<std::string> files;
  const auto add = [&](const json& j, const char* key) {
    if (j.contains(key) && j.at(key).is_string() && !j.at(key).get<std::string>().empty()) {
      const fs::path p(j.at(key).get<std::string>());
      files.push_back((p.is_absolute() ? p : base_dir / p).lexically_normal().string());
    }
  };
  for (const auto& c : scenario.value("cities", json::array())) add(c, "weather_file");
  for (const auto& s : scenario.value("sites", json::array())) add(s, "weather_file");
  for (const auto& t : scenario.value("node_types", json::array())) add(t, "power_curve_file");
  if (scenario.contains("workload"))
    for (const auto& c : scenario.at("workload").value("classes", json::array()))
      if (c.contains("arrivals") && c.at("arrivals").value("process", "poisson") != "poisson")
        add(c.at("arrivals"), "file");
  if (scenario.contains("energy") && scenario.at("energy").contains("grid"))
    add(scenario.at("energy").at("grid"), "carbon_file");
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

json manifest(const SweepSpec& spec, const RunPlan& plan, const std::string& status, int exit_code,
              const std::string& error, const fs::path& run_dir, FileHashes& hashes) {
  json axes = json::object();
  for (std::size_t a = 0; a < spec.axes.size(); ++a) axes[spec.axes[a].name] = plan.labels[a];
  json edits = json::array();
  for (const auto& e : plan.edits) edits.push_back({{"pointer", e.pointer}, {"value", e.value}});
  json m = {{"run", plan.id},
            {"config", plan.config},
            {"replication", plan.replication},
            {"seed", plan.seed},
            {"axes", axes},
            {"edits", edits},
            {"status", status},
            {"exit_code", exit_code},
            {"error", error},
            {"base_scenario", spec.scenario},
            {"base_scenario_sha256", hashes.of(spec.scenario)},
            {"sweep_file", spec.source_file},
            {"sweep_file_sha256", hashes.of(spec.source_file)},
            {"suanli_version", kVersion},
            {"git_commit", kGitCommit}};
  const fs::path resolved = run_dir / "scenario.json";
  if (fs::exists(resolved)) {
    const std::string text = read_file(resolved);
    m["scenario_sha256"] = sha256_hex(text);
    json inputs = json::object();
    for (const auto& f : input_files(json::parse(text), fs::path(spec.scenario).parent_path()))
      inputs[f] = hashes.of(f);
    m["inputs"] = inputs;
  }
  return m;
}

/// One run, to start: its folder runs/<id>.partial (made empty) and the `suanli run` arguments writing
/// into it.
RunLaunch prepare(const SweepSpec& spec, const RunPlan& plan, const SweepOptions& o) {
  const fs::path partial = fs::path(o.output_dir) / "runs" / (plan.id + ".partial");
  fs::remove_all(partial);
  fs::create_directories(partial);
  std::vector<std::string> args{o.suanli_binary,  "run",           spec.scenario, "-o",
                                partial.string(), "--no-progress", "--seed",      std::to_string(plan.seed)};
  for (const auto& e : plan.edits) {
    args.push_back("--set");
    args.push_back(e.pointer + "=" + e.value.dump());
  }
  // Every run covers the whole horizon, so the runs of a sweep compare equal periods.
  args.push_back("--full-horizon");
  args.insert(args.end(), spec.run_arguments.begin(), spec.run_arguments.end());
  args.insert(args.end(), o.extra_run_arguments.begin(), o.extra_run_arguments.end());
  return {std::move(args), (partial / "run.log").string()};
}

/// One run, ended with `code`: the manifest, then runs/<id>.partial renamed into place.
RunResult finish(const SweepSpec& spec, const RunPlan& plan, const SweepOptions& o, int code,
                 FileHashes& hashes) {
  const fs::path runs = fs::path(o.output_dir) / "runs";
  const fs::path partial = runs / (plan.id + ".partial");
  const fs::path final_dir = runs / plan.id;
  RunResult r;
  r.plan = plan;
  r.exit_code = code;
  r.status = code == 0 && fs::exists(partial / "summary.json") ? "ok" : "failed";
  if (r.status == "failed") r.error = error_line(partial / "run.log");
  write_atomically(partial / "manifest.json",
                   manifest(spec, plan, r.status, code, r.error, partial, hashes).dump(2) + "\n");
  fs::remove_all(final_dir);
  fs::rename(partial, final_dir);
  if (r.status == "ok") r.metrics = run_metrics(json::parse(read_file(final_dir / "summary.json")));
  return r;
}

/// The default launcher: child processes of the suanli executable under a oneTBB arena.
void launch_processes(std::size_t count, int jobs, const std::function<RunLaunch(std::size_t)>& prepare_run,
                      const std::function<void(std::size_t, int)>& done) {
  std::exception_ptr error;
  std::mutex error_mutex;
  tbb::task_arena arena(jobs);
  arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, count, 1),
        [&](const tbb::blocked_range<std::size_t>& range) {
          for (std::size_t i = range.begin(); i != range.end(); ++i) {
            try {
              const RunLaunch launch = prepare_run(i);
              done(i, spawn(launch.args, launch.log));
            } catch (...) {  // an I/O error of the sweep itself (not a failed run): stop after the others
              std::lock_guard lock(error_mutex);
              if (!error) error = std::current_exception();
            }
          }
        },
        tbb::simple_partitioner());
  });
  if (error) std::rethrow_exception(error);
}

/// With --resume: refuses (UserError) when a file a finished run read has changed since: the base
/// scenario, the sweep file, or an input file (SHA-256 against the run's manifest).
void check_inputs_unchanged(const SweepSpec& spec, const std::vector<RunPlan>& plans, const fs::path& dir,
                            FileHashes& hashes) {
  for (const auto& p : plans) {
    const fs::path m_path = dir / "runs" / p.id / "manifest.json";
    if (!fs::exists(m_path)) continue;
    const json m = json::parse(read_file(m_path));
    const auto changed = [&](const std::string& what, const std::string& file) {
      return model::UserError(
          dir.string(), "",
          what + " " + file + " changed since run " + p.id +
              " was made (its SHA-256 differs from the run's manifest.json); resume into a new "
              "folder, or add --force to mix results of both versions");
    };
    if (m.contains("base_scenario_sha256") && m.at("base_scenario_sha256") != hashes.of(spec.scenario))
      throw changed("the base scenario", spec.scenario);
    if (m.contains("sweep_file_sha256") && m.at("sweep_file_sha256") != hashes.of(spec.source_file))
      throw changed("the sweep file", spec.source_file);
    const json inputs = m.value("inputs", json::object());
    for (const auto& [file, sha] : inputs.items())
      if (sha != hashes.of(file)) throw changed("the input file", file);
  }
}

std::optional<RunResult> load_result(const RunPlan& plan, const fs::path& run_dir) {
  if (!fs::exists(run_dir / "manifest.json")) return std::nullopt;
  const json m = json::parse(read_file(run_dir / "manifest.json"));
  RunResult r;
  r.plan = plan;
  r.status = m.at("status").get<std::string>();
  r.exit_code = m.at("exit_code").get<int>();
  r.error = m.at("error").get<std::string>();
  if (r.status == "ok") r.metrics = run_metrics(json::parse(read_file(run_dir / "summary.json")));
  return r;
}

// SQLite -------------------------------------------------------------------------------------------

class Database {
 public:
  explicit Database(const fs::path& path) : path_(path.string()) {
    if (sqlite3_open(path_.c_str(), &db_) != SQLITE_OK) fail("cannot open");
    exec("PRAGMA busy_timeout = 10000");
    exec(
        "CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY, config INTEGER, replication INTEGER, "
        "seed INTEGER, status TEXT, exit_code INTEGER, error TEXT, params_json TEXT)");
    exec(
        "CREATE TABLE IF NOT EXISTS metrics (run_id TEXT, metric TEXT, value REAL, PRIMARY KEY (run_id, "
        "metric))");
  }
  ~Database() { sqlite3_close(db_); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Replaces all rows by `results`, in one transaction: readers and a later run see the old rows or
  /// the new ones, never a mix, even if this process is killed midway.
  void replace_all(const SweepSpec& spec, const std::vector<RunResult>& results) {
    exec("BEGIN IMMEDIATE");
    try {
      exec("DELETE FROM metrics");
      exec("DELETE FROM runs");
      for (const auto& r : results) insert(spec, r);
      exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  /// Adds or replaces one run's rows, in one transaction.
  void upsert(const SweepSpec& spec, const RunResult& r) {
    exec("BEGIN IMMEDIATE");
    try {
      insert(spec, r);
      exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

 private:
  void insert(const SweepSpec& spec, const RunResult& r) {
    json params = json::object();
    for (std::size_t a = 0; a < spec.axes.size(); ++a) params[spec.axes[a].name] = r.plan.labels[a];
    sqlite3_stmt* st = prepare(
        "INSERT OR REPLACE INTO runs (run_id, config, replication, seed, status, exit_code, error, "
        "params_json) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    sqlite3_bind_text(st, 1, r.plan.id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, static_cast<sqlite3_int64>(r.plan.config));
    sqlite3_bind_int(st, 3, r.plan.replication);
    sqlite3_bind_int64(st, 4, static_cast<sqlite3_int64>(r.plan.seed));
    sqlite3_bind_text(st, 5, r.status.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 6, r.exit_code);
    sqlite3_bind_text(st, 7, r.error.c_str(), -1, SQLITE_TRANSIENT);
    const std::string p = params.dump();
    sqlite3_bind_text(st, 8, p.c_str(), -1, SQLITE_TRANSIENT);
    step(st);
    st = prepare("DELETE FROM metrics WHERE run_id = ?");
    sqlite3_bind_text(st, 1, r.plan.id.c_str(), -1, SQLITE_TRANSIENT);
    step(st);
    for (std::size_t m = 0; m < r.metrics.size(); ++m) {
      if (!std::isfinite(r.metrics[m])) continue;
      st = prepare("INSERT INTO metrics (run_id, metric, value) VALUES (?, ?, ?)");
      sqlite3_bind_text(st, 1, r.plan.id.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 2, metric_names()[m].c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_double(st, 3, r.metrics[m]);
      step(st);
    }
  }
  sqlite3_stmt* prepare(const char* sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &st, nullptr) != SQLITE_OK) fail("cannot prepare a statement");
    return st;
  }
  void step(sqlite3_stmt* st) {
    const int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) fail("cannot write");
  }
  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
      fail(std::string("cannot run ") + sql);
  }
  [[noreturn]] void fail(const std::string& what) {
    throw model::UserError(path_, "", what + ": " + (db_ ? sqlite3_errmsg(db_) : "no database"));
  }
  std::string path_;
  sqlite3* db_ = nullptr;
};

/// "sweep: 5/12 done (1 failed), 2 running, ETA 3m20s" on a terminal; one line per run otherwise.
class SweepProgress {
 public:
  SweepProgress(std::size_t total, bool terminal, bool quiet)
      : total_(total), terminal_(terminal && !quiet), quiet_(quiet), start_(metrics::steady_wall_s()) {}
  void started() {
    std::lock_guard lock(mutex_);
    ++running_;
    draw(nullptr);
  }
  void finished(const RunResult& r) {
    std::lock_guard lock(mutex_);
    --running_;
    ++done_;
    if (r.status != "ok") ++failed_;
    draw(&r);
  }
  void end() {
    if (terminal_) std::cerr << "\n";
  }

 private:
  void draw(const RunResult* r) {
    if (quiet_) return;
    std::ostringstream line;
    line << "sweep: " << done_ << "/" << total_ << " done";
    if (failed_) line << " (" << failed_ << " failed)";
    line << ", " << running_ << " running";
    const double elapsed = metrics::steady_wall_s() - start_;
    if (done_ > 0 && done_ < total_)
      line << ", ETA "
           << metrics::format_duration(elapsed / static_cast<double>(done_) *
                                       static_cast<double>(total_ - done_));
    if (terminal_) {
      std::cerr << "\r" << line.str() << "\033[K" << std::flush;
    } else if (r) {
      std::cerr << line.str() << " - " << r->plan.id << " " << r->status
                << (r->status == "ok" ? "" : " (exit " + std::to_string(r->exit_code) + "): " + r->error)
                << "\n";
    }
  }
  std::mutex mutex_;
  std::size_t total_, done_ = 0, failed_ = 0, running_ = 0;
  bool terminal_, quiet_;
  double start_;
};

}  // namespace

std::vector<RunResult> write_tables(const SweepSpec& spec, const std::vector<RunPlan>& plans,
                                    const std::string& dir) {
  std::vector<RunResult> results;
  for (const auto& p : plans)
    if (auto r = load_result(p, fs::path(dir) / "runs" / p.id)) results.push_back(std::move(*r));
  write_atomically(fs::path(dir) / "runs.csv", runs_csv(spec, results));
  write_atomically(fs::path(dir) / "summary.csv", summary_csv(spec, results));
  Database(fs::path(dir) / "results.sqlite").replace_all(spec, results);
  return results;
}

SweepOutcome run_sweep(const SweepSpec& spec, const SweepOptions& o) {
  const fs::path dir(o.output_dir);
  const std::string spec_text = sweep_to_json(spec).dump(2) + "\n";
  const fs::path spec_file = dir / "sweep.json";
  if (fs::exists(spec_file)) {
    if (!o.resume)
      throw model::UserError(o.output_dir, "",
                             "holds a sweep already; add --resume to finish it, or choose another folder");
    if (read_file(spec_file) != spec_text)
      throw model::UserError(o.output_dir, "",
                             "holds a different sweep (its sweep.json differs); choose another folder");
  } else if (fs::exists(dir) && !fs::is_empty(dir)) {
    throw model::UserError(o.output_dir, "",
                           "exists and is not a sweep folder; choose an empty or new folder");
  }
  fs::create_directories(dir / "runs");
  if (!fs::exists(spec_file)) write_atomically(spec_file, spec_text);

  auto plans = expand(spec);
  if (o.shard) plans = shard(plans, o.shard->first, o.shard->second);
  // Leftovers of runs killed midway are started over.
  for (const auto& entry : fs::directory_iterator(dir / "runs"))
    if (entry.path().extension() == ".partial") fs::remove_all(entry.path());
  FileHashes hashes;
  if (o.resume && !o.force) check_inputs_unchanged(spec, plans, dir, hashes);
  std::vector<RunPlan> todo;
  SweepOutcome outcome;
  outcome.planned = plans.size();
  for (const auto& p : plans) {
    const std::string status = run_status(o.output_dir, p);
    if (status == "failed" && o.retry_failed) {
      ++outcome.retried;
    } else if (!status.empty()) {
      ++outcome.skipped;
      continue;
    }
    todo.push_back(p);
  }
  if (outcome.skipped + outcome.retried > 0)
    std::cerr << "sweep: " << outcome.skipped << " of " << plans.size() << " runs already done; "
              << todo.size() << " to run (" << outcome.retried << " of them failed before)\n";

  const int jobs = o.jobs > 0 ? o.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  SweepProgress progress(todo.size(), o.progress, o.quiet);
  Database db(dir / "results.sqlite");
  std::mutex db_mutex;
  std::atomic<std::size_t> ok{0}, failed{0};
  const auto prepare_run = [&](std::size_t i) {
    progress.started();
    return prepare(spec, todo[i], o);
  };
  const auto done = [&](std::size_t i, int code) {
    const RunResult r = finish(spec, todo[i], o, code, hashes);
    (r.status == "ok" ? ok : failed)++;
    {
      std::lock_guard lock(db_mutex);
      db.upsert(spec, r);
    }
    progress.finished(r);
  };
  try {
    (o.launcher ? o.launcher : RunLauncher(launch_processes))(todo.size(), jobs, prepare_run, done);
  } catch (...) {
    progress.end();
    throw;
  }
  progress.end();
  outcome.ok = ok;
  outcome.failed = failed;
  outcome.results = write_tables(spec, plans, o.output_dir);
  return outcome;
}

std::string run_status(const std::string& output_dir, const RunPlan& plan) {
  const fs::path m = fs::path(output_dir) / "runs" / plan.id / "manifest.json";
  if (!fs::exists(m)) return "";
  return json::parse(read_file(m)).value("status", "failed");
}

void collect(const std::vector<std::string>& shard_dirs, const std::string& out) {
  if (shard_dirs.empty()) throw model::UserError("suanli collect", "", "give the shard folders to merge");
  std::string spec_text;
  for (const auto& d : shard_dirs) {
    const fs::path f = fs::path(d) / "sweep.json";
    if (!fs::exists(f)) throw model::UserError(d, "", "is not a sweep folder (no sweep.json)");
    const std::string t = read_file(f);
    if (spec_text.empty())
      spec_text = t;
    else if (t != spec_text)
      throw model::UserError(d, "",
                             "holds a different sweep than " + shard_dirs.front() + " (sweep.json differs)");
  }
  const auto spec = sweep_from_json(io::parse_json_text(spec_text, shard_dirs.front() + "/sweep.json"),
                                    (fs::path(shard_dirs.front()) / "sweep.json").string());
  const fs::path dir(out);
  const fs::path spec_file = dir / "sweep.json";
  if (fs::exists(spec_file) && read_file(spec_file) != spec_text)
    throw model::UserError(out, "", "holds a different sweep; choose another folder");
  fs::create_directories(dir / "runs");
  write_atomically(spec_file, spec_text);
  const auto plans = expand(spec);
  std::vector<std::string> missing;
  for (const auto& p : plans) {
    const fs::path target = dir / "runs" / p.id;
    if (fs::exists(target / "manifest.json")) continue;
    bool found = false;
    for (const auto& d : shard_dirs) {
      const fs::path source = fs::path(d) / "runs" / p.id;
      if (!fs::exists(source / "manifest.json")) continue;
      if (fs::equivalent(fs::path(d), dir)) {
        found = true;
        break;
      }
      const fs::path partial = dir / "runs" / (p.id + ".partial");
      fs::remove_all(partial);
      fs::copy(source, partial, fs::copy_options::recursive);
      fs::rename(partial, target);
      found = true;
      break;
    }
    if (!found) missing.push_back(p.id);
  }
  if (!missing.empty()) {
    std::string list;
    for (std::size_t i = 0; i < missing.size() && i < 5; ++i) list += (i ? ", " : "") + missing[i];
    if (missing.size() > 5) list += ", ...";
    throw model::UserError(out, "",
                           std::to_string(missing.size()) + " of " + std::to_string(plans.size()) +
                               " runs are in none of the shard folders (" + list +
                               "); run the missing shards (with --resume) and collect again");
  }
  write_tables(spec, plans, out);
}

std::string shell_quote(const std::string& text) {
  const bool plain = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("_@%+=:,./-", c) != nullptr;
  });
  if (plain) return text;
  std::string q = "'";
  for (const char c : text) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string collect_command(const std::string& suanli_binary, const std::string& output_dir) {
  const std::string out = fs::absolute(output_dir).lexically_normal().string();
  return shell_quote(suanli_binary) + " collect " + shell_quote(out) + "/shard-* -o " +
         shell_quote(out + "/all");
}

std::string slurm_script(const SweepSpec& spec, const std::string& sweep_file, const std::string& output_dir,
                         const std::string& suanli_binary, std::size_t shards, int cpus) {
  const auto quote = [](const std::string& s) {
    std::string q = "'";
    for (const char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
  };
  const std::string out = fs::absolute(output_dir).lexically_normal().string();
  // #SBATCH lines are not shell: values are double-quoted, so '"', '%' (a Slurm file pattern) and line
  // breaks cannot be written safely.
  if (out.find_first_of("\"%\r\n") != std::string::npos)
    throw model::UserError(
        output_dir, "", "a Slurm script cannot use a folder whose path contains '\"', '%' or a line break");
  std::ostringstream s;
  s << "#!/bin/bash\n"
    << "# Slurm job array for the suanli sweep \"" << spec.name << "\" (" << expand(spec).size()
    << " runs in " << shards << " shards).\n"
    << "# Submit:   sbatch " << shell_quote(out + "/sweep.slurm") << "\n"
    << "# Then:     " << collect_command(suanli_binary, output_dir) << "\n"
    << "# (or submit the collect step with --dependency=afterok:<array job id>). A task that was killed can\n"
    << "# be resubmitted as it is: --resume keeps the runs it had finished.\n"
    << "#SBATCH --job-name=\"suanli-" << spec.name << "\"\n"
    << "#SBATCH --array=1-" << shards << "\n"
    << "#SBATCH --ntasks=1\n"
    << "#SBATCH --cpus-per-task=" << cpus << "\n"
    << "#SBATCH --output=\"" << out << "/slurm-%A_%a.out\"\n"
    << "set -euo pipefail\n"
    << "exec " << quote(suanli_binary) << " sweep "
    << quote(fs::absolute(sweep_file).lexically_normal().string()) << " -o " << quote(out)
    << "/shard-${SLURM_ARRAY_TASK_ID} --shard ${SLURM_ARRAY_TASK_ID}/" << shards
    << " -j ${SLURM_CPUS_PER_TASK:-" << cpus << "} --resume\n";
  return s.str();
}

}  // namespace suanli::sweep
