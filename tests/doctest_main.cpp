// doctest's main, after pointing the toolkit at this tree's executable: commands run in-process here (`up`,
// `network`) start the toolkit daemon, and /proc/self/exe is the test binary, not `toolkit`.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdlib>

int main(int argc, char** argv) {
  ::setenv("TC_TOOLKIT_BIN", TC_BINARY_DIR "/runner/toolkit", 0);  // an explicit setting wins
  return doctest::Context(argc, argv).run();
}
