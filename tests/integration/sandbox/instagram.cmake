# Instagram (Graph API with Facebook Login) sandbox tests.
foreach(part oauth accounts publishing reading webhooks)
  huntaze_test(tst_sandbox_instagram_${part} LABEL integration
               SOURCES tst_sandbox_instagram_${part}.cpp instagramtesthelpers.h
               DEPENDS huntaze-sandbox)
endforeach()
