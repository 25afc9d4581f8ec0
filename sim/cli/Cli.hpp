// The `suanli` command line as a function: the executable's main (sim/cli/entry.cpp) and the Python
// module's sweep runs (each a `suanli run` executed in a child process forked from Python, so the
// policies registered there are known) call it.
#pragma once

namespace suanli::cli {

/// Parses argv (argv[0]: the program's name) and runs the subcommand; returns the exit code (0 ok,
/// 1 targets missed with --strict, 2 bad input or usage, 3 internal error). Prints to stdout/stderr.
int main(int argc, char** argv);

}  // namespace suanli::cli
