#include "targets/debezium.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "daemon/daemon_spawn.hpp"
#include "db/connection.hpp"
#include "sandbox/data_template.hpp"
#include "sandbox/seed.hpp"
#include "sandbox/server.hpp"
#include "targets/file_lock.hpp"
#include "targets/registry.hpp"
#include "targets/state_words.hpp"
#include "util/duration.hpp"
#include "util/file_util.hpp"
#include "util/text.hpp"

namespace fs = std::filesystem;

namespace tc::targets {

namespace {
using Clock = std::chrono::steady_clock;
// Distinct from the sandbox (1), the replica (2) and its destination: the binlog client's id on the source.
constexpr int kDebeziumServerId = 5401;
constexpr int kDestinationServerId = 3;
constexpr const char* kJarRelative = "pipelines/debezium/target/tc-debezium.jar";
constexpr const char* kEngineName = "Debezium 3.5.0.Final (embedded, MariaDB connector)";

const std::vector<std::string> kKeys = {"type",         "sink_mode",    "snapshot_mode", "offset_flush",
                                        "auto_restart", "retry_window", "retry_every",   "start_timeout",
                                        "heap",         "tables",       "properties"};

std::chrono::milliseconds duration_of(const Json& v, const std::string& key) {
  if (auto d = duration_value(v)) return *d;
  throw std::invalid_argument("debezium target: `" + key + "` must be a duration like 500ms, 5s or 5m (got " +
                              v.dump() + ")");
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int read_int_file(const std::string& path) {
  std::string t = trim(read_file(path));
  return !t.empty() && all_digits(t) && t.size() < 10 ? std::stoi(t) : 0;
}

void write_private(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
  }
  ::chmod(tmp.c_str(), 0600);  // it holds the source's and the destination's passwords
  fs::rename(tmp, path);
}

void add_upwards(std::vector<std::string>& out, fs::path dir, const std::string& rel) {
  for (int i = 0; i < 8 && !dir.empty(); ++i) {
    out.push_back((dir / rel).string());
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
}

std::string find_java() {
  if (const char* home = std::getenv("JAVA_HOME"); home && *home) {
    fs::path p = fs::path(home) / "bin/java";
    if (::access(p.c_str(), X_OK) == 0) return p.string();
  }
  if (const char* path = std::getenv("PATH")) {
    for (const auto& dir : split_on(path, ':')) {
      if (dir.empty()) continue;
      fs::path p = fs::path(dir) / "java";
      if (::access(p.c_str(), X_OK) == 0) return p.string();
    }
  }
  return "";
}

// Debezium's own states, in the words test cases use; `snapshot` counts as running (the pipeline is syncing).
std::string state_word(const std::string& engine_state) {
  if (engine_state == "running" || engine_state == "snapshot") return "running";
  if (engine_state == "starting" || engine_state == "connecting") return "connecting";
  if (engine_state == "failed") return "failed";
  if (engine_state == "stopped") return "stopped";
  return "unknown";
}

bool wait_gone(int pid, std::chrono::milliseconds grace) {
  auto deadline = Clock::now() + grace;
  while (toolkit::pid_alive(pid)) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

bool stop_engine(const std::string& dir, std::chrono::milliseconds grace) {
  int pid = read_int_file(dir + "/engine.pid");
  if (pid <= 0 || !toolkit::pid_alive(pid)) return false;
  if (int port = read_int_file(dir + "/http.port"); port > 0) {
    httplib::Client cli("127.0.0.1", port);
    cli.set_connection_timeout(2);
    cli.set_read_timeout(grace.count() / 1000 + 1);
    (void)cli.Post("/shutdown");  // flushes the offsets and exits
  }
  if (!wait_gone(pid, grace)) {
    ::kill(pid, SIGTERM);  // the JVM's shutdown hook flushes too
    if (!wait_gone(pid, std::chrono::seconds(5))) {
      ::kill(pid, SIGKILL);
      wait_gone(pid, std::chrono::seconds(5));
    }
  }
  return true;
}
}  // namespace

DebeziumSettings DebeziumSettings::from_spec(const Json& spec) {
  DebeziumSettings s;
  if (!spec.is_object()) return s;
  for (const auto& [k, v] : spec.items()) {
    if (std::find(kKeys.begin(), kKeys.end(), k) == kKeys.end()) {
      std::string hint = closest(k, kKeys);
      throw std::invalid_argument("debezium target: unknown key `" + k + "` (known: " + join(kKeys, ", ") + ")" +
                                  (hint.empty() ? "" : "; did you mean `" + hint + "`?"));
    }
  }
  if (spec.contains("sink_mode")) {
    s.sink_mode = spec["sink_mode"].is_string() ? spec["sink_mode"].get<std::string>() : "";
    if (s.sink_mode != "upsert" && s.sink_mode != "append")
      throw std::invalid_argument("debezium target: `sink_mode` is upsert or append (got " + spec["sink_mode"].dump() +
                                  ")");
  }
  if (spec.contains("snapshot_mode")) {
    if (!spec["snapshot_mode"].is_string() || spec["snapshot_mode"].get<std::string>().empty())
      throw std::invalid_argument("debezium target: `snapshot_mode` is one of Debezium's snapshot.mode words");
    s.snapshot_mode = spec["snapshot_mode"].get<std::string>();
  }
  if (spec.contains("offset_flush")) s.offset_flush = duration_of(spec["offset_flush"], "offset_flush");
  if (spec.contains("retry_window")) s.retry_window = duration_of(spec["retry_window"], "retry_window");
  if (spec.contains("retry_every")) s.retry_every = duration_of(spec["retry_every"], "retry_every");
  if (spec.contains("start_timeout")) s.start_timeout = duration_of(spec["start_timeout"], "start_timeout");
  if (spec.contains("auto_restart")) {
    if (!spec["auto_restart"].is_boolean())
      throw std::invalid_argument("debezium target: `auto_restart` is true/false");
    s.auto_restart = spec["auto_restart"].get<bool>();
  }
  if (spec.contains("heap")) {
    std::string h = spec["heap"].is_string() ? spec["heap"].get<std::string>() : "";
    bool ok = h.size() >= 2 && all_digits(h.substr(0, h.size() - 1)) && (h.back() == 'm' || h.back() == 'g');
    if (!ok) throw std::invalid_argument("debezium target: `heap` is a JVM size like 384m or 1g");
    s.heap = h;
  }
  if (spec.contains("tables")) {
    const Json& t = spec["tables"];
    if (t.is_string())
      s.tables = {t.get<std::string>()};
    else if (t.is_array())
      for (const auto& x : t) s.tables.push_back(x.is_string() ? x.get<std::string>() : x.dump());
    else
      throw std::invalid_argument("debezium target: `tables` is a list of db.table names");
  }
  if (spec.contains("properties")) {
    if (!spec["properties"].is_object())
      throw std::invalid_argument("debezium target: `properties` is a map of Debezium property names to values");
    s.properties = spec["properties"];
  }
  if (s.offset_flush.count() < 0 || s.retry_every.count() <= 0 || s.start_timeout.count() <= 0)
    throw std::invalid_argument("debezium target: durations must be positive");
  return s;
}

Json DebeziumSettings::to_json() const {
  return {{"sink_mode", sink_mode},
          {"snapshot_mode", snapshot_mode},
          {"offset_flush_ms", offset_flush.count()},
          {"auto_restart", auto_restart},
          {"retry_window_ms", retry_window.count()},
          {"retry_every_ms", retry_every.count()},
          {"heap", heap},
          {"tables", tables},
          {"properties", properties}};
}

std::string find_debezium_jar() {
  std::vector<std::string> candidates;
  if (const char* j = std::getenv("TC_DEBEZIUM_JAR"); j && *j) candidates.push_back(j);
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (!ec) add_upwards(candidates, cwd, kJarRelative);
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) add_upwards(candidates, exe.parent_path(), kJarRelative);
  if (std::string share = installed_share_dir(); !share.empty()) candidates.push_back(share + "/tc-debezium.jar");
  for (const auto& c : candidates)
    if (fs::is_regular_file(c, ec)) return fs::absolute(c).lexically_normal().string();
  return "";
}

DebeziumTarget::DebeziumTarget(toolkit::Config cfg, DebeziumSettings settings)
    : cfg_(std::move(cfg)), settings_(std::move(settings)) {
  state_dir_ = fs::absolute(cfg_.resolved_state_dir()).lexically_normal().string();
  dir_ = state_dir_ + "/debezium";
  std::lock_guard lock(mutex_);
  ensure();
}

std::string DebeziumTarget::etl_tool() const {
  return engine_name_.empty() ? kEngineName : engine_name_;
}

void DebeziumTarget::ensure_destination() {
  std::string ddir = dir_ + "/dest";
  toolkit::Server existing = toolkit::Server::attach(ddir);
  bool fresh = !fs::exists(ddir + "/data");
  if (existing.running()) {
    dest_port_ = existing.port();
    setup_["destination"] = fmt::format("reused the destination server (pid {}, port {})", existing.pid(), dest_port_);
  } else {
    fs::create_directories(ddir);
    toolkit::ServerOptions o;
    o.dir = ddir;
    o.server_id = kDestinationServerId;
    o.log_bin = false;  // a sink, not a source: nothing reads its binlog
    o.port = existing.info().port;
    if (fresh) o.template_dir = toolkit::ensure_template(toolkit::shared_template_dir()).datadir;
    toolkit::Server s(o);
    try {
      s.start();
    } catch (const std::exception&) {
      if (o.port == 0) throw;
      o.port = 0;  // the old port was taken meanwhile
      s = toolkit::Server(o);
      s.start();
    }
    dest_port_ = s.port();
    setup_["destination"] = fmt::format("{} the destination server (pid {}, port {})", fresh ? "created" : "restarted",
                                        s.pid(), dest_port_);
  }
  std::string recorded = trim(read_file(dir_ + "/sink_mode"));
  if (fresh || recorded != settings_.sink_mode) {
    // The destination holds the schema the sink creates from the source, with no rows: the snapshot brings them.
    // A different sink mode means different tables (append adds _seq, _op, _source_position), so start over.
    stop_engine(dir_, std::chrono::seconds(20));
    auto c =
        db::Connection::open(toolkit::Server::attach(ddir).dsn(toolkit::kAdminUser, toolkit::kAdminPassword, true));
    c->execute(fmt::format("DROP DATABASE IF EXISTS `{}`", toolkit::kDatabase));
    c->execute(fmt::format("CREATE DATABASE `{}` CHARACTER SET utf8mb4", toolkit::kDatabase));
    for (const char* f : {"offsets.dat", "schema-history.dat"}) fs::remove(dir_ + "/" + f);
    write_private(dir_ + "/sink_mode", settings_.sink_mode + "\n");
    setup_["destination_reset"] =
        "emptied " + std::string(toolkit::kDatabase) + " for a new snapshot (" + settings_.sink_mode + " mode)";
  }
}

std::string DebeziumTarget::config_text() const {
  db::Dsn src = toolkit::source_dsn(cfg_, false);  // the fault proxy's public port: faults apply to the engine
  std::string tables = join(settings_.tables, ",");
  std::string t = "# written by tc-run's debezium target; tc-run rewrites it when the settings change\n";
  auto line = [&](const std::string& k, const std::string& v) { t += k + "=" + v + "\n"; };
  line("tc.dir", dir_);
  line("tc.source.host", src.host.empty() ? "127.0.0.1" : src.host);
  line("tc.source.port", std::to_string(src.port));
  line("tc.source.user", src.user);
  line("tc.source.password", src.password);
  line("tc.source.database", src.database.empty() ? toolkit::kDatabase : src.database);
  line("tc.tables", tables);
  line("tc.dest.url", fmt::format("jdbc:mariadb://127.0.0.1:{}/{}", dest_port_, toolkit::kDatabase));
  line("tc.dest.user", toolkit::kAdminUser);
  line("tc.dest.password", toolkit::kAdminPassword);
  line("tc.sink.mode", settings_.sink_mode);
  line("tc.snapshot.mode", settings_.snapshot_mode);
  line("tc.offset.flush.ms", std::to_string(settings_.offset_flush.count()));
  line("tc.server.id", std::to_string(kDebeziumServerId));
  line("tc.auto.restart", settings_.auto_restart ? "true" : "false");
  line("tc.retry.window.ms", std::to_string(settings_.retry_window.count()));
  line("tc.retry.every.ms", std::to_string(settings_.retry_every.count()));
  line("tc.http.port", "0");
  for (const auto& [k, v] : settings_.properties.items()) line("debezium." + k, value_text(v));
  return t;
}

std::string DebeziumTarget::engine_log_tail() const {
  std::string text = read_file(dir_ + "/engine.out");
  return excerpt(text.size() > 4000 ? text.substr(text.size() - 4000) : text, 8, 1200);
}

void DebeziumTarget::launch_engine() {
  std::string java = find_java();
  if (java.empty())
    throw std::runtime_error(
        "the debezium target needs Java 17 (no `java` on PATH or in $JAVA_HOME): run scripts/setup.sh");
  std::string jar = find_debezium_jar();
  if (jar.empty())
    throw std::runtime_error("the Debezium pipeline is not built (no " + std::string(kJarRelative) +
                             " above the working directory or tc-run, and no share/tc-run/tc-debezium.jar; "
                             "$TC_DEBEZIUM_JAR is unset): run scripts/setup.sh");
  std::string conf = config_text();
  write_private(dir_ + "/tc-debezium.properties", conf);
  fs::remove(dir_ + "/http.port");
  auto t0 = Clock::now();
  std::vector<std::string> argv = {java,
                                   "-Xmx" + settings_.heap,
                                   "-XX:+UseSerialGC",  // two cores: no parallel GC threads competing with mariadbd
                                   "-XX:TieredStopAtLevel=1",
                                   "-Djava.net.preferIPv4Stack=true",
                                   "-jar",
                                   jar,
                                   "--config",
                                   dir_ + "/tc-debezium.properties"};
  engine_pid_ = toolkit::spawn_detached(argv, dir_ + "/engine.out");
  auto deadline = t0 + settings_.start_timeout;
  for (;;) {
    if (!toolkit::pid_alive(engine_pid_))
      throw std::runtime_error(fmt::format("the Debezium engine (pid {}) exited during start; engine.out ends: {}",
                                           engine_pid_, engine_log_tail()));
    http_port_ = read_int_file(dir_ + "/http.port");
    if (http_port_ > 0) {
      httplib::Client cli("127.0.0.1", http_port_);
      cli.set_connection_timeout(1);
      cli.set_read_timeout(2);
      if (auto res = cli.Get("/status"); res && res->status == 200) break;
    }
    if (Clock::now() > deadline) {
      ::kill(engine_pid_, SIGKILL);
      throw std::runtime_error(fmt::format("the Debezium engine did not answer within {}; engine.out ends: {}",
                                           format_duration(settings_.start_timeout), engine_log_tail()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  write_private(dir_ + "/running.properties", conf);
  setup_["engine"] =
      fmt::format("started the Debezium engine (pid {}, API on 127.0.0.1:{}) in {} ms", engine_pid_, http_port_,
                  std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count());
}

void DebeziumTarget::ensure() {
  fs::create_directories(dir_);
  FileLock lock(state_dir_ + "/debezium.lock");
  auto t0 = Clock::now();
  if (cfg_.sandbox()) {
    setup_["source"] = toolkit::ensure_source(cfg_);
    // Debezium 3.6.1's MariaDB connector cannot stream from a source whose binlog holds no GTID yet (the fresh
    // sandbox): its binlog client ends with "NullPointerException: Cannot invoke GtidSet.toString() because
    // this.gtidSet is null" (BinaryLogClient.requestBinaryLogStreamMaria). One marker row gives it a position.
    auto src = db::Connection::open(toolkit::source_dsn(cfg_, true));
    if (trim(value_text(src->scalar("SELECT @@GLOBAL.gtid_binlog_pos"))).empty()) {
      src->execute(
          fmt::format("INSERT INTO `{}`._toolkit_meta (key_name, value) VALUES ('debezium', 'first GTID for Debezium') "
                      "ON DUPLICATE KEY UPDATE value = VALUES(value)",
                      toolkit::kDatabase));
      setup_["source_gtid"] =
          "wrote _toolkit_meta.debezium: the source's binlog had no GTID for Debezium to start from";
    }
  }
  ensure_destination();
  int pid = read_int_file(dir_ + "/engine.pid");
  bool alive = pid > 0 && toolkit::pid_alive(pid);
  std::string want = config_text();
  if (alive && read_file(dir_ + "/running.properties") == want) {
    engine_pid_ = pid;
    http_port_ = read_int_file(dir_ + "/http.port");
    setup_["engine"] = fmt::format("reused the running Debezium engine (pid {}, API on 127.0.0.1:{})", pid, http_port_);
    // Left failed or stopped by an earlier run: start it again from its offsets, as the replica restarts threads.
    Json st = call("GET", "/status", std::chrono::seconds(5));
    std::string was = st.value("state", "");
    if (was == "failed" || was == "stopped") {
      call("POST", "/start", std::chrono::seconds(10));
      setup_["engine_restart"] = "was " + was + " (" + st.value("last_error", "") + "); started from its offsets";
    }
  } else {
    if (alive) {
      stop_engine(dir_, std::chrono::seconds(20));
      setup_["engine_replaced"] = "the running engine had other settings: restarted with these";
    }
    launch_engine();
  }
  Json st = call("GET", "/status", std::chrono::seconds(5));
  if (st.contains("engine") && st["engine"].is_string()) engine_name_ = st["engine"].get<std::string>();
  setup_["settings"] = settings_.to_json();
  setup_["ready_ms"] = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
}

Json DebeziumTarget::call(const std::string& method, const std::string& path, std::chrono::seconds timeout) {
  if (http_port_ <= 0) http_port_ = read_int_file(dir_ + "/http.port");
  httplib::Client cli("127.0.0.1", http_port_);
  cli.set_connection_timeout(2);
  cli.set_read_timeout(timeout.count());
  auto res = method == "GET" ? cli.Get(path) : cli.Post(path);
  if (!res)
    throw std::runtime_error(fmt::format("the Debezium engine's API (127.0.0.1:{}) did not answer {} {}: {}",
                                         http_port_, method, path, httplib::to_string(res.error())));
  Json j = Json::parse(res->body, nullptr, false);
  if (j.is_discarded())
    throw std::runtime_error(fmt::format("the Debezium engine answered {} {} with HTTP {} and no JSON: {}", method,
                                         path, res->status, excerpt(res->body, 3, 300)));
  if (res->status >= 400)
    throw std::runtime_error(fmt::format("the Debezium engine refused {} {} (HTTP {}): {}", method, path, res->status,
                                         j.value("error", res->body)));
  return j;
}

PipelineStatus DebeziumTarget::status() {
  std::lock_guard lock(mutex_);
  PipelineStatus s;
  if (!toolkit::pid_alive(engine_pid_)) {
    s.state = "failed";
    s.last_error = fmt::format("the Debezium engine process (pid {}) is not running; engine.out ends: {}", engine_pid_,
                               engine_log_tail());
    s.detail = {{"engine_pid", engine_pid_}, {"engine_state", "exited"}};
    return s;
  }
  Json j;
  try {
    j = call("GET", "/status", std::chrono::seconds(5));
  } catch (const std::exception& e) {
    s.state = "unknown";
    s.last_error = e.what();
    s.detail = {{"engine_pid", engine_pid_}};
    return s;
  }
  std::string engine_state = j.value("state", "");
  s.state = state_word(engine_state);
  if (j.contains("lag_seconds") && j["lag_seconds"].is_number()) s.lag_seconds = j["lag_seconds"].get<double>();
  if (j.contains("last_errno") && j["last_errno"].is_number_integer()) s.last_errno = j["last_errno"].get<int>();
  if (j.contains("last_error") && j["last_error"].is_string()) s.last_error = j["last_error"].get<std::string>();
  s.detail = j;
  s.detail["engine_state"] = engine_state;
  s.detail["engine_pid"] = engine_pid_;
  // "All objects show Syncing or Completed": every captured table has finished its snapshot and streams.
  bool syncing = j.contains("tables") && j["tables"].is_object() && !j["tables"].empty() && s.state == "running";
  if (syncing)
    for (const auto& [t, phase] : j["tables"].items())
      if (!(phase.is_string() && (phase == "streaming" || phase == "completed"))) syncing = false;
  s.detail["tables_syncing"] = syncing;
  return s;
}

void DebeziumTarget::start() {
  std::lock_guard lock(mutex_);
  if (!toolkit::pid_alive(engine_pid_)) {
    ensure();
    return;
  }
  call("POST", "/start", std::chrono::seconds(30));
}

void DebeziumTarget::stop() {
  std::lock_guard lock(mutex_);
  call("POST", "/stop", std::chrono::seconds(60));
}

void DebeziumTarget::restart() {
  std::lock_guard lock(mutex_);
  if (!toolkit::pid_alive(engine_pid_)) {
    ensure();  // a dead process restarts from the same stored offsets
    return;
  }
  call("POST", "/restart", std::chrono::seconds(60));
}

void DebeziumTarget::resync() {
  std::lock_guard lock(mutex_);
  call("POST", "/resync", std::chrono::seconds(120));
}

std::string DebeziumTarget::destination_dsn() const {
  return fmt::format("mysql://{}:{}@127.0.0.1:{}/{}", toolkit::kAdminUser, toolkit::kAdminPassword, dest_port_,
                     toolkit::kDatabase);
}

std::vector<std::string> DebeziumTarget::log_files() const {
  return {dir_ + "/engine.log", dir_ + "/engine.out", dir_ + "/dest/error.log"};
}

bool stop_debezium(const std::string& state_dir, std::chrono::seconds grace) {
  std::string dir = state_dir + "/debezium";
  bool engine = stop_engine(dir, grace);
  bool dest = fs::exists(dir + "/dest/server.json") && toolkit::Server::attach(dir + "/dest").stop(grace);
  return engine || dest;
}

TargetDecl declare_debezium() {
  using O = scenario::OutputType;
  TargetDecl d{
      "debezium",
      "Debezium's embedded engine (MariaDB connector) through the fault proxy, applying events to its own server",
      {kKeys.begin() + 1, kKeys.end()},
      [](const Json& spec, const TargetEnv& env) -> std::unique_ptr<Target> {
        return std::make_unique<DebeziumTarget>(env.toolkit, DebeziumSettings::from_spec(spec));
      },
      [](const std::string& state_dir, std::chrono::seconds grace) { return stop_debezium(state_dir, grace); }};
  // The engine's GET /status (pipelines/debezium Main.status()) plus what tc-run adds.
  d.detail = {{"engine_state", O::Text, "the engine's own state word"},
              {"engine_pid", O::Number, "the engine process"},
              {"tables_syncing", O::Bool, "every captured table has finished its snapshot and streams"},
              {"tables", O::Map, "each captured table's phase (snapshot, streaming)"},
              {"state", O::Text, "the engine's state as it reports it"},
              {"events_applied", O::Number, "change events applied to the destination"},
              {"lag_seconds", O::Number, "source time of the last applied event to now"},
              {"offsets", O::Map, "the stored source offsets (binlog file, position, GTIDs)"},
              {"applied_offsets", O::Map, "the offsets of the last applied event"},
              {"connected", O::Bool, "the connector holds a binlog connection"},
              {"engine", O::Text, "the Debezium engine and connector versions"},
              {"sink_mode", O::Text, "upsert or append"},
              {"last_error", O::Text, "the engine's last error text"},
              {"last_errno", O::Number, "the engine's last error number"}};
  return d;
}

}  // namespace tc::targets
