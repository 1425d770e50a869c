#pragma once
// Where the toolkit keeps its state and which source it works on: what every layer below the CLI is handed.
#include <string>
#include <vector>

namespace tc::toolkit {

/// Where the toolkit keeps its state, and which source it works on.
struct Config {
  std::string state_dir;  // "" -> $TC_STATE_DIR or $XDG_STATE_HOME/tc-run or ~/.local/state/tc-run
  std::string source;     // "" or "sandbox" -> the embedded sandbox; else a DSN
  bool json = false;      // print JSON instead of text
  /// Servers (server_uuid or hostname, optionally hostname:port) destructive faults may touch besides the
  /// sandbox: the scenario's allow_destructive, --allow-destructive; $TC_ALLOW_DESTRUCTIVE adds to it.
  std::vector<std::string> allow_destructive;
  /// The state directory after applying the defaults above.
  std::string resolved_state_dir() const;
  /// True when the source is the embedded sandbox (which tc-run owns).
  bool sandbox() const { return source.empty() || source == "sandbox"; }
};

}  // namespace tc::toolkit
