// libFuzzer target: the loader entry (fuzz/entries.hpp) on arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "entries.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tc::fuzz::loader(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
