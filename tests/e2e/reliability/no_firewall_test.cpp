// The toolkit never changes the host's firewall or qdisc: no source file of the toolkit or tc-run invokes
// iptables, ip6tables, nft, tc or ip (as a program run by a string command line).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;

TEST_CASE("no code path runs iptables, nft or tc") {
  // A string literal that starts a command line with one of these programs (optionally with a path), or any
  // literal that names a qdisc or firewall table operation.
  const std::regex invocation(
      R"re("\s*(sudo\s+)?(/usr)?(/s?bin/)?(iptables|ip6tables|iptables-restore|nft|tc|ip\s+link|ip\s+route)(\s|")|"[^"\n]*\b(qdisc|netem)\b[^"\n]*"|"-j\s+(DROP|REJECT)")re");
  // And one of those programs passed as argv[0] to a process API ({"tc", ...}, "iptables" alone).
  const std::regex argv0(R"re(\{\s*"(/usr)?(/s?bin/)?(iptables|ip6tables|nft|tc)"\s*,)re");
  int files = 0;
  std::vector<std::string> hits;
  for (const char* top : {"lib", "runner"}) {
    for (const auto& e : fs::recursive_directory_iterator(fs::path(TC_SOURCE_DIR) / top)) {
      auto ext = e.path().extension();
      if (ext != ".cpp" && ext != ".hpp" && ext != ".h") continue;
      ++files;
      std::ifstream in(e.path());
      std::string line;
      for (int n = 1; std::getline(in, line); ++n) {
        auto code = line.substr(0, line.find("//"));  // comments may say what we do not do
        if (std::regex_search(code, invocation) || std::regex_search(code, argv0))
          hits.push_back(e.path().string() + ":" + std::to_string(n) + ": " + line);
      }
    }
  }
  CHECK(files > 100);  // the scan really read the sources
  std::ostringstream all;
  for (const auto& h : hits) all << h << "\n";
  CHECK_MESSAGE(hits.empty(), all.str());

  // The scan finds what it looks for.
  for (const char* bad : {R"(run_shell("iptables -A INPUT -p tcp --dport 3306 -j DROP");)",
                          R"(run_process({"tc", "qdisc", "add", "dev", "lo"});)", R"(run_shell("nft flush ruleset");)",
                          R"(run_shell("/usr/sbin/tc qdisc del dev eth0 root");)"})
    CHECK_MESSAGE((std::regex_search(std::string(bad), invocation) || std::regex_search(std::string(bad), argv0)), bad);
  for (const char* fine :
       {R"(say("tc-run recover");)", R"(out << "uses no iptables rules";)", R"(std::string kind = "network.reject";)"})
    CHECK_MESSAGE(!(std::regex_search(std::string(fine), invocation) || std::regex_search(std::string(fine), argv0)),
                  fine);
}
