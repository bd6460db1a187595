# Sources of the X sandbox platform, relative to sandbox/.
list(APPEND SANDBOX_PLATFORM_SOURCES
  x/xplatform.cpp
  x/xoauth.cpp
  x/xtweets.cpp
  x/xmedia.cpp
  x/xwebhooks.cpp
  x/xadmin.cpp
)
