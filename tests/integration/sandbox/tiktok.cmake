# TikTok sandbox integration tests (plain Qt HTTP against huntaze-sandbox).
huntaze_test(tst_sandbox_tiktok_oauth LABEL integration SOURCES tst_sandbox_tiktok_oauth.cpp
             tiktoktest.h DEPENDS huntaze-sandbox)
huntaze_test(tst_sandbox_tiktok_publish LABEL integration SOURCES tst_sandbox_tiktok_publish.cpp
             tiktoktest.h DEPENDS huntaze-sandbox)
huntaze_test(tst_sandbox_tiktok_webhooks LABEL integration
             SOURCES tst_sandbox_tiktok_webhooks.cpp tiktoktest.h DEPENDS huntaze-sandbox)
