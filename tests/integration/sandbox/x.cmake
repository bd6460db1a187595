# X sandbox integration tests (shared/platforms/x.md), plain Qt HTTP against huntaze-sandbox.
huntaze_test(tst_sandbox_x_oauth LABEL integration
             SOURCES tst_sandbox_x_oauth.cpp xsandbox.h DEPENDS huntaze-sandbox)
huntaze_test(tst_sandbox_x_posting LABEL integration
             SOURCES tst_sandbox_x_posting.cpp xsandbox.h DEPENDS huntaze-sandbox)
huntaze_test(tst_sandbox_x_webhooks LABEL integration
             SOURCES tst_sandbox_x_webhooks.cpp xsandbox.h DEPENDS huntaze-sandbox)
