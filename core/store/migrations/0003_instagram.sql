-- Instagram end to end (issue 6).

-- Insights over time: the sync worker appends a row whenever a media's metrics change,
-- so the desktop can chart them (ig_media.insights keeps only the latest values).
CREATE TABLE ig_media_insights (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ig_id        text NOT NULL REFERENCES ig_media (ig_id) ON DELETE CASCADE,
    captured_at  timestamptz NOT NULL DEFAULT now(),
    insights     jsonb NOT NULL
);
CREATE INDEX ig_media_insights_user_idx ON ig_media_insights (user_id, captured_at);
CREATE INDEX ig_media_insights_media_idx ON ig_media_insights (ig_id, captured_at DESC);
ALTER TABLE ig_media_insights ENABLE ROW LEVEL SECURITY;
CREATE POLICY ig_media_insights_own_rows ON ig_media_insights TO huntaze_desktop
    USING (user_id = huntaze_current_user_id())
    WITH CHECK (user_id = huntaze_current_user_id());
GRANT SELECT ON ig_media_insights TO huntaze_desktop;

-- The Inbox: a reply the creator wrote through Huntaze, and when the relay last pulled
-- an account (the sync worker's bookmark, shown in the window).
ALTER TABLE ig_comments ADD COLUMN replied_at timestamptz;
ALTER TABLE instagram_accounts ADD COLUMN synced_at timestamptz;
ALTER TABLE instagram_accounts ADD COLUMN webhooks_subscribed boolean NOT NULL DEFAULT false;
GRANT SELECT (synced_at, webhooks_subscribed) ON instagram_accounts TO huntaze_desktop;

-- Instagram media and comments are announced like publications, whoever wrote them
-- (webhook processors, the sync worker, a desktop recording its own post), so open
-- windows follow them live. Payload as the other announcements: {"table","user_id","key"}.
CREATE FUNCTION huntaze_notify_instagram() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_notify('huntaze_changes',
                      json_build_object('table', TG_TABLE_NAME, 'user_id', NEW.user_id,
                                        'key', NEW.ig_id)::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER ig_media_notify AFTER INSERT OR UPDATE ON ig_media
    FOR EACH ROW EXECUTE FUNCTION huntaze_notify_instagram();
CREATE TRIGGER ig_comments_notify AFTER INSERT OR UPDATE ON ig_comments
    FOR EACH ROW EXECUTE FUNCTION huntaze_notify_instagram();
