# Reddit sandbox integration tests (shared/platforms/reddit.md), plain Qt HTTP.
huntaze_test(tst_sandbox_reddit_oauth LABEL integration SOURCES tst_sandbox_reddit_oauth.cpp
             redditsandbox.h DEPENDS huntaze-sandbox)
huntaze_test(tst_sandbox_reddit_api LABEL integration SOURCES tst_sandbox_reddit_api.cpp
             redditsandbox.h DEPENDS huntaze-sandbox)
huntaze_test(tst_sandbox_reddit_submit LABEL integration SOURCES tst_sandbox_reddit_submit.cpp
             redditsandbox.h DEPENDS huntaze-sandbox)
huntaze_test(tst_sandbox_reddit_media LABEL integration SOURCES tst_sandbox_reddit_media.cpp
             redditsandbox.h DEPENDS huntaze-sandbox LIBS Qt6::WebSockets)
