# Sources of the X sandbox platform, relative to sandbox/.
list(APPEND SANDBOX_PLATFORM_SOURCES
  x/xplatform.cpp
)
