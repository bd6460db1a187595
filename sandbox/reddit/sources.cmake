# Sources of the Reddit sandbox platform, relative to sandbox/.
list(APPEND SANDBOX_PLATFORM_SOURCES
  reddit/redditadmin.cpp
  reddit/redditapigate.cpp
  reddit/redditflairs.cpp
  reddit/redditmedia.cpp
  reddit/redditoauth.cpp
  reddit/redditplatform.cpp
  reddit/redditreading.cpp
  reddit/redditstate.cpp
  reddit/redditsubmit.cpp
)
