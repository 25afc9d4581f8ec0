// The `suanli` executable.
#include "cli/Cli.hpp"

int main(int argc, char** argv) { return suanli::cli::main(argc, argv); }
