# Sources of the Instagram sandbox platform, relative to sandbox/.
list(APPEND SANDBOX_PLATFORM_SOURCES
  instagram/instagramplatform.cpp
)
