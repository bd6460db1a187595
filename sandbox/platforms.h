#pragma once

#include "platform.h"

#include <memory>
#include <vector>

namespace sandbox {

// TikTok, Instagram, Reddit and X, in that order.
std::vector<std::unique_ptr<Platform>> createPlatforms(SandboxContext &context);

} // namespace sandbox
