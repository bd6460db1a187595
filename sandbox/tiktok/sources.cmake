# Sources of the TikTok sandbox platform, relative to sandbox/.
list(APPEND SANDBOX_PLATFORM_SOURCES
  tiktok/tiktokadmin.cpp
  tiktok/tiktokcore.cpp
  tiktok/tiktokoauth.cpp
  tiktok/tiktokplatform.cpp
  tiktok/tiktokpublishing.cpp
  tiktok/tiktokstate.cpp
  tiktok/tiktokupload.cpp
  tiktok/tiktokuserinfo.cpp
  tiktok/tiktokwebhooks.cpp
)
