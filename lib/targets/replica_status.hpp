#pragma once
// Reading SHOW SLAVE STATUS as a pipeline state.
#include <string>
#include <vector>

#include "targets/target.hpp"

namespace tc::targets {

/// Maps one SHOW SLAVE STATUS row (null when replication is not configured) to running / connecting / failed /
/// stopped: an IO or SQL error number makes it failed (with that number and the exact text), both threads Yes is
/// running, the IO thread Connecting is connecting, anything else stopped. Lag is Seconds_Behind_Master.
PipelineStatus status_from_slave_row(const Json& row, const std::string& gtid_slave_pos);

/// The SHOW SLAVE STATUS columns status_from_slave_row copies into `detail` (under their own names).
const std::vector<std::string>& slave_detail_columns();

}  // namespace tc::targets
