#include "targets/target.hpp"

namespace tc::targets {

Json PipelineStatus::to_json() const {
  Json j = {{"value", state}, {"state", state}, {"last_errno", last_errno}, {"last_error", last_error}};
  j["lag_seconds"] = lag_seconds ? Json(*lag_seconds) : Json(nullptr);
  j["detail"] = detail;
  return j;
}

}  // namespace tc::targets
