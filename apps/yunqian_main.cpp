#include "cli/commands.hpp"

int main(int argc, char** argv) { return yq::cli::run(argc, argv); }
