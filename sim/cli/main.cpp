// The `suanli` command: the table of subcommands (one file each, sim/cli/NAME.cpp), the helpers they
// share, and cli::main(): parse, dispatch, and turn errors into one line and an exit code. A library
// function (Cli.hpp): the executable (entry.cpp) calls it, and so does the Python module in the
// processes it forks for sweep runs.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include "cli/Cli.hpp"
#include "cli/Commands.hpp"
#include "io/OutputFile.hpp"
#include "load/Load.hpp"
#include "model/Error.hpp"
#include "suanli/version.hpp"

// The subcommands, in the order `suanli --help` lists them. X(NAME) is the command in sim/cli/*.cpp
// that defines `void suanli::cli::add_NAME(CLI::App&, Commands&)`. To add a command, write its file
// and add its line here.
#define SUANLI_COMMANDS(X) \
  X(check)                 \
  X(run)                   \
  X(step)                  \
  X(pue)                   \
  X(show)                  \
  X(plan_edge)             \
  X(platform)              \
  X(sweep)                 \
  X(collect)               \
  X(capacity)              \
  X(report)                \
  X(serve)                 \
  X(policies)

namespace suanli::cli {

#define SUANLI_DECLARE_COMMAND(name) void add_##name(CLI::App& app, Commands& commands);
SUANLI_COMMANDS(SUANLI_DECLARE_COMMAND)
#undef SUANLI_DECLARE_COMMAND

using model::UserError;

void add_scenario(CLI::App* sub, ScenarioInput& o) {
  sub->add_option("scenario", o.scenario, "Scenario JSON file (format: docs/scenario.md)")->required();
  sub->add_flag("--lenient", o.lenient, "Treat unknown fields as warnings instead of errors");
  sub->add_option(
         "--set", o.set,
         "Edit the scenario before reading it: POINTER=VALUE (JSON pointer; VALUE is JSON, else a string); "
         "* matches every array element, e.g. --set '/workload/classes/*/placement=least_loaded'")
      ->take_all();
}

model::Scenario load(const ScenarioInput& o) {
  suanli::model::LoadOptions options;
  options.lenient = o.lenient;
  for (const auto& e : o.set) options.edits.push_back(suanli::model::parse_scenario_edit(e, "--set"));
  if (!o.placement.empty()) options.edits.push_back({"/workload/classes/*/placement", o.placement});
  if (!o.queue.empty()) options.edits.push_back({"/scheduling/queue", o.queue});
  if (o.idle_off_s) options.edits.push_back({"/scheduling/power/idle_off_s", *o.idle_off_s});
  auto loaded = suanli::load::load_scenario(o.scenario, options);
  for (const auto& w : loaded.warnings) std::cerr << "warning: " << w << "\n";
  return std::move(loaded.scenario);
}

void check_output_path(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  std::error_code ec;
  const auto status = fs::symlink_status(target, ec);
  if (fs::is_directory(status)) throw UserError(path, "", "is a directory; give a file name for the output");
  if (fs::exists(status) && !fs::is_regular_file(status) && !fs::is_symlink(status))
    throw UserError(path, "",
                    "exists and is not a regular file (a device, pipe or socket); refusing to replace it");
  if (target.has_parent_path() && !fs::is_directory(target.parent_path(), ec))
    throw UserError(path, "", "the folder " + target.parent_path().string() + " does not exist");
}

void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& write) {
  check_output_path(path);
  /// Streams into the OutputFile (which buffers), so a large platform XML is never held whole.
  class ToOutputFile : public std::streambuf {
   public:
    explicit ToOutputFile(suanli::io::OutputFile& out) : out_(out) {}

   protected:
    std::streamsize xsputn(const char* s, std::streamsize n) override {
      out_.write(std::string_view(s, static_cast<std::size_t>(n)));
      return n;
    }
    int_type overflow(int_type c) override {
      if (c != traits_type::eof()) {
        const char ch = traits_type::to_char_type(c);
        out_.write(std::string_view(&ch, 1));
      }
      return traits_type::not_eof(c);
    }

   private:
    suanli::io::OutputFile& out_;
  };
  suanli::io::OutputFile out(path);
  ToOutputFile buffer(out);
  std::ostream stream(&buffer);
  stream.exceptions(std::ios::badbit);
  write(stream);
  out.commit();
}

double elapsed_s(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

CLI::Validator checked_number(const std::string& expected, const std::string& description,
                              const std::function<bool(double)>& ok) {
  return CLI::Validator(
      [expected, ok](std::string& text) {
        double value = 0;
        std::size_t used = 0;
        try {
          value = std::stod(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        const bool good = used > 0 && used == text.size() && std::isfinite(value) && ok(value);
        return good ? std::string()
                    : "expected " + expected + ", got " +
                          suanli::model::printable(text, suanli::model::kMaxQuotedChars);
      },
      description);
}

CLI::Validator seed_range() {
  return CLI::Validator(
      [](std::string& text) {
        std::uint64_t value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        const bool good = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos &&
                          ec == std::errc() && end == text.data() + text.size() &&
                          value <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
        return good ? std::string()
                    : "expected a whole number from 0 to 9223372036854775807, got " +
                          suanli::model::printable(text, suanli::model::kMaxQuotedChars);
      },
      "0 - 2^63-1");
}

CLI::Validator positive(const std::string& unit) {
  return checked_number("a positive number of " + unit, "POSITIVE", [](double v) { return v > 0; });
}

CLI::Validator non_negative(const std::string& unit) {
  return checked_number("a number of " + unit + " >= 0", "NONNEGATIVE", [](double v) { return v >= 0; });
}

CLI::Validator share() {
  return checked_number("a share between 0 and 1", "[0 - 1]", [](double v) { return v >= 0 && v <= 1; });
}

}  // namespace suanli::cli

namespace {

using suanli::model::UserError;

#define SUANLI_COMMAND_ENTRY(name) suanli::cli::add_##name,
constexpr suanli::cli::AddCommand kCommands[] = {SUANLI_COMMANDS(SUANLI_COMMAND_ENTRY)};
#undef SUANLI_COMMAND_ENTRY

/// Levenshtein distance: the fewest single-character insertions, deletions and substitutions.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

/// The command closest to `word` within two edits, or "" (CLI11 itself says only "A subcommand is required").
std::string closest_command(CLI::App& app, const std::string& word) {
  std::string closest;
  std::size_t best = 3;
  for (const auto* sub : app.get_subcommands([](CLI::App* a) { return !a->get_name().empty(); })) {
    const std::size_t d = edit_distance(word, sub->get_name());
    if (d < best) {
      best = d;
      closest = sub->get_name();
    }
  }
  return closest;
}

}  // namespace

int suanli::cli::main(int argc, char** argv) {
  suanli::io::install_interrupt_cleanup();
  CLI::App app{
      "suanli (算力): simulate a provincial compute network - data centres, GPU and supercomputing centres, "
      "edge\n"
      "DCs and the fiber between them - and check it against the planning targets.\n"
      "Exit codes: 0 ok, 1 targets missed (--strict), 2 bad input or usage, 3 internal error, 130 "
      "interrupted.",
      "suanli"};
  app.set_version_flag("--version", std::string("suanli ") + suanli::kVersion +
                                        (std::string(suanli::kGitCommit).empty()
                                             ? std::string()
                                             : std::string(" (") + suanli::kGitCommit + ")"));
  app.require_subcommand(1);
  app.fallthrough();

  suanli::cli::Commands commands;
  for (const auto add : kCommands) add(app, commands);

  if (argc > 1 && argv[1][0] != '-' &&
      app.get_subcommands([&](CLI::App* a) { return a->check_name(argv[1]); }).empty()) {
    const std::string closest = closest_command(app, argv[1]);
    std::cerr << "suanli: unknown command '"
              << suanli::model::printable(argv[1], suanli::model::kMaxQuotedChars) << "'"
              << (closest.empty() ? " (see suanli --help)" : "; did you mean '" + closest + "'?") << "\n";
    return suanli::model::kExitUserError;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "suanli: " << suanli::model::printable(e.what(), suanli::model::kMaxMessageChars)
              << " (see suanli --help)\n";
    return suanli::model::kExitUserError;
  }

  try {
    for (const auto& command : commands)
      if (*command.app) return command.run();
  } catch (const suanli::model::UserErrors& e) {
    // Every error found, one line each, up to a bound (a generated scenario may have thousands).
    constexpr std::size_t kMaxListed = 50;
    const auto& errors = e.errors();
    for (std::size_t i = 0; i < errors.size() && i < kMaxListed; ++i)
      std::cerr << "error: " << errors[i].what() << "\n";
    if (errors.size() > kMaxListed)
      std::cerr << "error: " << errors.front().file() << ": " << errors.size() - kMaxListed
                << " more errors not listed\n";
    return suanli::model::kExitUserError;
  } catch (const UserError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return suanli::model::kExitUserError;
  } catch (const std::filesystem::filesystem_error& e) {
    // A path the system refuses (permission denied, a file where a folder should be, a name too
    // long, /proc): the user's to fix.
    std::cerr << "error: " << UserError(e.path1().string(), "", e.code().message()).what() << "\n";
    return suanli::model::kExitUserError;
  } catch (const std::exception& e) {
    std::cerr << "suanli: internal error: " << e.what() << "\n";
    return suanli::cli::kExitInternal;
  }
  return 0;
}
