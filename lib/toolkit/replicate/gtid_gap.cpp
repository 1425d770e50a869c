// gtid-gap: a real hole in the GTID sequence (recorded in the ledger; it cannot be taken back).
#include <fmt/format.h>

#include "faults/ledger.hpp"
#include "sandbox/flavour.hpp"
#include "toolkit/replicate.hpp"

namespace tc::toolkit {

namespace {
using Clock = std::chrono::steady_clock;

void run_gtid_gap(CommandEnv& env, Session& s, const ReplicateOptions& o) {
  auto ident = s.conn->query(s.flavour.gtid_identity_sql()).rows.front();
  std::string key = s.flavour.is_mariadb() ? ident["domain"].dump() : ident["uuid"].get<std::string>();
  std::string before_text = s.gtid();
  GtidSet before = GtidSet::parse(s.flavour.kind, before_text);
  std::uint64_t last = before.last_seq(key);
  std::uint64_t expected = last + static_cast<std::uint64_t>(o.gap) + 1;
  std::string write = "INSERT INTO users (name, email, status) VALUES ('GTID Gap', 'gtid.gap@example.com', 'pending')";
  Json details = {
      {"key", key}, {"before", before_text}, {"gap", o.gap}, {"expected_seq", expected}, {"permanent", true}};
  Ledger ledger(s.source.state_dir);
  std::string id = ledger.record("gtid.gap", details);
  for (const auto& stmt : s.flavour.gtid_gap_statements(key, last, static_cast<std::uint64_t>(o.gap), write))
    s.conn->execute(stmt);
  ledger.mark_undone(id);  // a GTID gap cannot be taken back; the record says it happened
  std::string after_text = s.gtid();
  GtidSet after = GtidSet::parse(s.flavour.kind, after_text);
  std::uint64_t now_last = after.last_seq(key);
  if (now_last != expected)
    throw CommandFailure(
        fmt::format("the GTID gap did not take effect: expected sequence {} after {}, the server is at {}", expected,
                    before_text, after_text));
  std::uint64_t gap = now_last - last - 1;
  env.result.output.update({{"gtid_before", before_text},
                            {"gtid_after", after_text},
                            {"gap", gap},
                            {"skipped_from", last + 1},
                            {"skipped_to", now_last - 1},
                            {"ledger_id", id}});
  say(env, fmt::format("gtid-gap: before {}", before_text.empty() ? "(empty)" : before_text));
  say(env, fmt::format("gtid-gap: after  {}", after_text));
  say(env, fmt::format("gtid-gap: {} sequence numbers skipped ({}..{}) in {} {}", gap, last + 1, now_last - 1,
                       s.flavour.is_mariadb() ? "domain" : "source", key));
}
}  // namespace

ReplicationStress declare_stress_gtid_gap() {
  return {.name = "gtid-gap",
          .summary = "skip --gap sequence numbers of the source's GTID domain (permanent)",
          .destructive = true,
          .run = run_gtid_gap};
}

}  // namespace tc::toolkit
