-- Reddit and X end to end (issue 7).
--
-- Reddit has no webhooks, so the relay polls: its sync worker keeps reddit_posts
-- current and stores the comments below. X sends webhooks for new posts, and the relay's
-- metrics sync keeps x_posts' metrics current. Both sides (desktop and relay) upsert on
-- the natural keys and never clear each other's columns.

-- Comments under the creator's Reddit posts, the tree flattened: parent_fullname is the
-- post (t3_) for a top-level comment, or the comment (t1_) it answers.
CREATE TABLE reddit_comments (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_id      bigint NOT NULL REFERENCES oauth_accounts (id) ON DELETE CASCADE,
    fullname        text NOT NULL CHECK (fullname ~ '^t1_[a-z0-9]+$'),
    post_fullname   text NOT NULL CHECK (post_fullname ~ '^t3_[a-z0-9]+$'),
    parent_fullname text NOT NULL DEFAULT '',
    author          text NOT NULL DEFAULT '',
    body            text NOT NULL DEFAULT '',
    score           bigint,
    posted_at       timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reddit_comments_natural_key UNIQUE (fullname)
);
CREATE INDEX reddit_comments_user_idx ON reddit_comments (user_id, posted_at DESC);
CREATE INDEX reddit_comments_post_idx ON reddit_comments (post_fullname);

-- Score history: one row per poll only when score, comment count or ratio changed, so
-- the desktop can chart a post's life (reddit_posts keeps only the latest numbers).
CREATE TABLE reddit_post_stats (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    fullname     text NOT NULL REFERENCES reddit_posts (fullname) ON DELETE CASCADE,
    score        bigint,
    num_comments bigint,
    upvote_ratio double precision,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reddit_post_stats_user_idx ON reddit_post_stats (user_id, recorded_at);
CREATE INDEX reddit_post_stats_post_idx ON reddit_post_stats (fullname, recorded_at DESC);

-- X metrics history, the same way: a row only when the metrics changed.
CREATE TABLE x_post_metrics (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id            bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tweet_id           text NOT NULL REFERENCES x_posts (tweet_id) ON DELETE CASCADE,
    public_metrics     jsonb NOT NULL DEFAULT '{}'::jsonb,
    non_public_metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
    recorded_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX x_post_metrics_user_idx ON x_post_metrics (user_id, recorded_at);
CREATE INDEX x_post_metrics_post_idx ON x_post_metrics (tweet_id, recorded_at DESC);

-- A post deleted on X keeps its row and last metrics (the creator's record); the metrics
-- sync sets this when X answers resource-not-found, and stops asking about it.
ALTER TABLE x_posts ADD COLUMN deleted_at timestamptz;

-- The sync workers walk an account's posts newest first.
CREATE INDEX reddit_posts_account_idx ON reddit_posts (account_id, posted_at DESC);
CREATE INDEX x_posts_account_idx ON x_posts (account_id, posted_at DESC);

-- Desktops read their own user's rows only; the relay writes them.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['reddit_comments', 'reddit_post_stats', 'x_post_metrics']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I TO huntaze_desktop '
                       'USING (user_id = huntaze_current_user_id()) '
                       'WITH CHECK (user_id = huntaze_current_user_id())',
                       t || '_own_rows', t);
        EXECUTE format('GRANT SELECT ON %I TO huntaze_desktop', t);
    END LOOP;
END
$$;

-- Live updates, like Instagram's: {"table","user_id","key"} on huntaze_changes, whoever
-- wrote the row. The sync workers write only what changed, so an idle pass is silent.
CREATE FUNCTION huntaze_notify_reddit() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_notify('huntaze_changes',
                      json_build_object('table', TG_TABLE_NAME, 'user_id', NEW.user_id,
                                        'key', NEW.fullname)::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER reddit_posts_notify AFTER INSERT OR UPDATE ON reddit_posts
    FOR EACH ROW EXECUTE FUNCTION huntaze_notify_reddit();
CREATE TRIGGER reddit_comments_notify AFTER INSERT OR UPDATE ON reddit_comments
    FOR EACH ROW EXECUTE FUNCTION huntaze_notify_reddit();

CREATE FUNCTION huntaze_notify_x() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_notify('huntaze_changes',
                      json_build_object('table', TG_TABLE_NAME, 'user_id', NEW.user_id,
                                        'key', NEW.tweet_id)::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER x_posts_notify AFTER INSERT OR UPDATE ON x_posts
    FOR EACH ROW EXECUTE FUNCTION huntaze_notify_x();
