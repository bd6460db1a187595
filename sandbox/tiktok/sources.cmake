# Sources of the TikTok sandbox platform, relative to sandbox/.
list(APPEND SANDBOX_PLATFORM_SOURCES
  tiktok/tiktokplatform.cpp
)
