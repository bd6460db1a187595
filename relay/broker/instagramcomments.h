#pragma once

#include "http/router.h"

namespace huntaze::relay {

class GraphApi;
class OAuthBroker;

// The creator answering and moderating comments on their Instagram media, through the
// relay (which holds the token):
//   POST /v1/instagram/comments/reply {"comment_id", "message"}
//        -> Graph POST {comment-id}/replies; the reply lands in ig_comments and the
//           comment is marked replied; answers {"id": "<reply id>"};
//   POST /v1/instagram/comments/hide {"comment_id", "hide": true|false}
//        -> Graph POST {comment-id}?hide=...; answers {"hidden": bool}.
// With the device credential as bearer, for the device's own user's comments only.
class InstagramComments {
public:
    static constexpr int kMaxMessage = 2200; // Instagram's limit for a comment
    static constexpr int kMaxId = 64;

    // graph is null when the relay has no Instagram app configured.
    InstagramComments(OAuthBroker &broker, GraphApi *graph);
    void registerRoutes(Router &router);

private:
    void reply(HttpRequest &&request, HttpResponder respond);
    void hide(HttpRequest &&request, HttpResponder respond);

    OAuthBroker &m_broker;
    GraphApi *m_graph;
};

} // namespace huntaze::relay
