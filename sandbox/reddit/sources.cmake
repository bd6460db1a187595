# Sources of the Reddit sandbox platform, relative to sandbox/.
list(APPEND SANDBOX_PLATFORM_SOURCES
  reddit/redditplatform.cpp
)
