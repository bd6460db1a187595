# Sources of the Instagram sandbox platform, relative to sandbox/.
list(APPEND SANDBOX_PLATFORM_SOURCES
  instagram/instagramaccounts.cpp
  instagram/instagramadmin.cpp
  instagram/instagramgraph.cpp
  instagram/instagramoauth.cpp
  instagram/instagramplatform.cpp
  instagram/instagrampublishing.cpp
  instagram/instagramreading.cpp
  instagram/instagramstate.cpp
  instagram/instagramwebhooks.cpp
)
