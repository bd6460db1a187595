-- Huntaze data model, version 1. Applied in one transaction by core/store/migrator.cpp.
--
-- Rules this file follows (see DESIGN.md):
-- * every natural key named by the requirements is a UNIQUE constraint, and every write
--   is an upsert on it, so replaying anything twice changes nothing;
-- * every user-owned table carries user_id (the future distribution column) and is
--   protected by row-level security for desktop roles;
-- * token columns are never granted to the huntaze_desktop group role.

-- Group role of every paired desktop. Roles are cluster-wide and several databases may
-- migrate concurrently, so creating it tolerates a twin created in the meantime.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'huntaze_desktop') THEN
        CREATE ROLE huntaze_desktop NOLOGIN;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

CREATE TABLE users (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email        text UNIQUE CHECK (email IS NULL OR length(email) <= 320),
    display_name text NOT NULL DEFAULT '' CHECK (length(display_name) <= 200),
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- A paired desktop. The pairing code and the device credential are stored only as
-- SHA-256 hashes; db_role is the PostgreSQL role the desktop logs in as.
CREATE TABLE devices (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id            bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name               text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    status             text NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'active', 'revoked')),
    pairing_code_hash  bytea UNIQUE,
    pairing_expires_at timestamptz,
    token_hash         bytea UNIQUE,
    db_role            name UNIQUE,
    created_at         timestamptz NOT NULL DEFAULT now(),
    paired_at          timestamptz,
    last_seen_at       timestamptz,
    revoked_at         timestamptz
);
CREATE INDEX devices_user_idx ON devices (user_id);

-- One connected platform account. Tokens are AES-256-GCM sealed by the relay
-- (core/crypto) under key_id; only the relay ever reads them.
CREATE TABLE oauth_accounts (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id              bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider             text NOT NULL CHECK (provider IN ('tiktok', 'instagram', 'reddit', 'x')),
    open_id              text NOT NULL CHECK (length(open_id) BETWEEN 1 AND 200),
    display_name         text NOT NULL DEFAULT '',
    username             text NOT NULL DEFAULT '',
    avatar_url           text NOT NULL DEFAULT '',
    scope                text NOT NULL DEFAULT '',
    access_token_sealed  bytea,
    refresh_token_sealed bytea,
    key_id               text,
    access_expires_at    timestamptz,
    refresh_expires_at   timestamptz,
    status               text NOT NULL DEFAULT 'active'
                         CHECK (status IN ('active', 'needs_reconnect', 'revoked')),
    status_reason        text NOT NULL DEFAULT '',
    profile              jsonb NOT NULL DEFAULT '{}'::jsonb,
    stats                jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT oauth_accounts_natural_key UNIQUE (provider, open_id)
);
CREATE INDEX oauth_accounts_user_idx ON oauth_accounts (user_id);
-- The refresh worker looks for tokens nearing expiry.
CREATE INDEX oauth_accounts_refresh_idx ON oauth_accounts (access_expires_at)
    WHERE status = 'active';

-- The desktop's durable publishing job: one row per (draft, target account).
CREATE TABLE publications (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id               bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    draft_id              uuid NOT NULL,
    account_id            bigint NOT NULL REFERENCES oauth_accounts (id) ON DELETE CASCADE,
    provider              text NOT NULL CHECK (provider IN ('tiktok', 'instagram', 'reddit', 'x')),
    kind                  text NOT NULL DEFAULT 'video',
    source_path           text NOT NULL DEFAULT '',
    source_url            text NOT NULL DEFAULT '',
    caption               text NOT NULL DEFAULT '',
    options               jsonb NOT NULL DEFAULT '{}'::jsonb,
    state                 text NOT NULL DEFAULT 'queued'
                          CHECK (state IN ('queued', 'uploading', 'processing', 'published',
                                           'failed', 'needs_action')),
    remote_id             text,  -- publish_id, container id, media id, ... once init succeeded
    init_started_at       timestamptz, -- set before init: a crash after it means "outcome unknown"
    upload_url            text,
    upload_url_expires_at timestamptz,
    bytes_sent            bigint NOT NULL DEFAULT 0 CHECK (bytes_sent >= 0),
    bytes_total           bigint NOT NULL DEFAULT 0 CHECK (bytes_total >= 0),
    attempts              integer NOT NULL DEFAULT 0,
    next_attempt_at       timestamptz NOT NULL DEFAULT now(),
    last_error_code       text,
    last_error_message    text,
    permalink             text,
    correlation_id        uuid NOT NULL DEFAULT gen_random_uuid(),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    published_at          timestamptz,
    CONSTRAINT publications_target_key UNIQUE (draft_id, account_id)
);
CREATE INDEX publications_user_idx ON publications (user_id, created_at DESC);
-- The uploader claims due work.
CREATE INDEX publications_due_idx ON publications (next_attempt_at)
    WHERE state IN ('queued', 'uploading', 'processing');

CREATE TABLE tiktok_posts (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_id     bigint NOT NULL REFERENCES oauth_accounts (id) ON DELETE CASCADE,
    publication_id bigint REFERENCES publications (id) ON DELETE SET NULL,
    publish_id     text NOT NULL CHECK (length(publish_id) BETWEEN 1 AND 64),
    post_mode      text NOT NULL DEFAULT 'inbox' CHECK (post_mode IN ('inbox', 'direct', 'photo')),
    source         text NOT NULL CHECK (source IN ('FILE_UPLOAD', 'PULL_FROM_URL')),
    status         text NOT NULL DEFAULT 'PROCESSING_UPLOAD',
    error_code     text,
    fail_reason    text,
    post_id        text,
    uploaded_bytes bigint,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT tiktok_posts_natural_key UNIQUE (publish_id)
);
CREATE INDEX tiktok_posts_user_idx ON tiktok_posts (user_id, created_at DESC);
-- The status poller looks at posts that have not reached a final state.
CREATE INDEX tiktok_posts_pending_idx ON tiktok_posts (updated_at)
    WHERE status IN ('PROCESSING_UPLOAD', 'PROCESSING_DOWNLOAD');

CREATE TABLE instagram_accounts (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id            bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_id         bigint NOT NULL REFERENCES oauth_accounts (id) ON DELETE CASCADE,
    ig_business_id     text NOT NULL CHECK (length(ig_business_id) BETWEEN 1 AND 64),
    page_id            text NOT NULL,
    page_name          text NOT NULL DEFAULT '',
    username           text NOT NULL DEFAULT '',
    access_level       text NOT NULL DEFAULT '',
    page_token_sealed  bytea,  -- a Page token is a token: sealed, never granted to desktops
    key_id             text,
    profile            jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT instagram_accounts_natural_key UNIQUE (ig_business_id)
);
CREATE INDEX instagram_accounts_user_idx ON instagram_accounts (user_id);

CREATE TABLE ig_media (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id              bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ig_business_id       text NOT NULL REFERENCES instagram_accounts (ig_business_id) ON DELETE CASCADE,
    publication_id       bigint REFERENCES publications (id) ON DELETE SET NULL,
    ig_id                text NOT NULL CHECK (length(ig_id) BETWEEN 1 AND 64),
    media_type           text NOT NULL DEFAULT '',
    media_product_type   text NOT NULL DEFAULT '',
    caption              text NOT NULL DEFAULT '',
    permalink            text NOT NULL DEFAULT '',
    media_url            text NOT NULL DEFAULT '',
    thumbnail_url        text NOT NULL DEFAULT '',
    posted_at            timestamptz,
    like_count           bigint,
    comments_count       bigint,
    insights             jsonb NOT NULL DEFAULT '{}'::jsonb,
    insights_updated_at  timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ig_media_natural_key UNIQUE (ig_id)
);
CREATE INDEX ig_media_user_idx ON ig_media (user_id, posted_at DESC);

CREATE TABLE ig_comments (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    ig_business_id text NOT NULL REFERENCES instagram_accounts (ig_business_id) ON DELETE CASCADE,
    ig_id          text NOT NULL CHECK (length(ig_id) BETWEEN 1 AND 64),
    media_ig_id    text NOT NULL,
    parent_ig_id   text,
    from_id        text NOT NULL DEFAULT '',
    username       text NOT NULL DEFAULT '',
    text           text NOT NULL DEFAULT '',
    like_count     bigint,
    hidden         boolean NOT NULL DEFAULT false,
    posted_at      timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ig_comments_natural_key UNIQUE (ig_id)
);
CREATE INDEX ig_comments_user_idx ON ig_comments (user_id, posted_at DESC);
CREATE INDEX ig_comments_media_idx ON ig_comments (media_ig_id);

CREATE TABLE reddit_posts (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id             bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_id          bigint NOT NULL REFERENCES oauth_accounts (id) ON DELETE CASCADE,
    publication_id      bigint REFERENCES publications (id) ON DELETE SET NULL,
    fullname            text NOT NULL CHECK (fullname ~ '^t3_[a-z0-9]+$'),
    subreddit           text NOT NULL DEFAULT '',
    kind                text NOT NULL DEFAULT 'self',
    title               text NOT NULL DEFAULT '' CHECK (length(title) <= 300),
    url                 text NOT NULL DEFAULT '',
    permalink           text NOT NULL DEFAULT '',
    score               bigint,
    num_comments        bigint,
    upvote_ratio        double precision,
    removed_by_category text,
    posted_at           timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reddit_posts_natural_key UNIQUE (fullname)
);
CREATE INDEX reddit_posts_user_idx ON reddit_posts (user_id, posted_at DESC);

CREATE TABLE x_posts (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id            bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    account_id         bigint NOT NULL REFERENCES oauth_accounts (id) ON DELETE CASCADE,
    publication_id     bigint REFERENCES publications (id) ON DELETE SET NULL,
    tweet_id           text NOT NULL CHECK (tweet_id ~ '^[0-9]{1,20}$'),
    text               text NOT NULL DEFAULT '',
    public_metrics     jsonb NOT NULL DEFAULT '{}'::jsonb,
    non_public_metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
    metrics_updated_at timestamptz,
    posted_at          timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT x_posts_natural_key UNIQUE (tweet_id)
);
CREATE INDEX x_posts_user_idx ON x_posts (user_id, posted_at DESC);

-- The relay's durable webhook inbox. It belongs to no user until processed, and is
-- keyed (and would be distributed) by (provider, external_id).
CREATE TABLE webhook_events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- Byte-wise collation: these are identifiers, and the hot unique index compares
    -- them on every insert.
    provider        text COLLATE "C" NOT NULL CHECK (provider IN ('tiktok', 'instagram', 'reddit', 'x')),
    external_id     text COLLATE "C" NOT NULL CHECK (length(external_id) BETWEEN 1 AND 200),
    event_type      text NOT NULL DEFAULT '',
    verified        boolean NOT NULL,
    headers         jsonb NOT NULL DEFAULT '{}'::jsonb,
    body            bytea NOT NULL,
    state           text NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'done', 'dead')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    user_id         bigint REFERENCES users (id) ON DELETE SET NULL,
    correlation_id  uuid NOT NULL DEFAULT gen_random_uuid(),
    received_at     timestamptz NOT NULL DEFAULT now(),
    processed_at    timestamptz,
    CONSTRAINT webhook_events_natural_key UNIQUE (provider, external_id)
);
-- Workers claim due events with FOR UPDATE SKIP LOCKED in this order.
CREATE INDEX webhook_events_claim_idx ON webhook_events (next_attempt_at, id)
    WHERE state = 'pending';
CREATE INDEX webhook_events_dead_idx ON webhook_events (received_at) WHERE state = 'dead';

-- Background work (token refresh, status polling, sync), claimed with SKIP LOCKED.
CREATE TABLE jobs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint REFERENCES users (id) ON DELETE CASCADE,
    kind         text NOT NULL,
    dedupe_key   text UNIQUE,  -- one live job per (kind, subject), e.g. 'refresh:42'
    payload      jsonb NOT NULL DEFAULT '{}'::jsonb,
    state        text NOT NULL DEFAULT 'queued'
                 CHECK (state IN ('queued', 'running', 'done', 'dead')),
    run_at       timestamptz NOT NULL DEFAULT now(),
    attempts     integer NOT NULL DEFAULT 0,
    locked_by    text,
    locked_until timestamptz,
    last_error   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_claim_idx ON jobs (run_at, id) WHERE state = 'queued';
CREATE INDEX jobs_stale_idx ON jobs (locked_until) WHERE state = 'running';

-- Every authentication and authorization event.
CREATE TABLE audit_log (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id        bigint REFERENCES users (id) ON DELETE SET NULL,
    at             timestamptz NOT NULL DEFAULT now(),
    actor          text NOT NULL DEFAULT '',
    event          text NOT NULL,
    provider       text,
    subject        text,
    outcome        text NOT NULL DEFAULT 'ok',
    remote_addr    inet,
    correlation_id uuid,
    details        jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, at DESC);
CREATE INDEX audit_log_at_idx ON audit_log (at);

-- ---------------------------------------------------------------------------------
-- Row-level security for desktop roles.
--
-- A paired desktop logs in as its own role (devices.db_role), a member of
-- huntaze_desktop. huntaze_current_user_id() maps that role to its user; it is
-- SECURITY DEFINER so a desktop need not (and cannot) read the devices table itself.
-- The relay owns the tables, and owners are not subject to these policies.
-- ---------------------------------------------------------------------------------
CREATE FUNCTION huntaze_current_user_id() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
AS $$
    SELECT d.user_id FROM public.devices d
     WHERE d.db_role = session_user AND d.status = 'active'
$$;
REVOKE ALL ON FUNCTION huntaze_current_user_id() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION huntaze_current_user_id() TO huntaze_desktop;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['oauth_accounts', 'publications', 'tiktok_posts',
                             'instagram_accounts', 'ig_media', 'ig_comments',
                             'reddit_posts', 'x_posts', 'audit_log', 'devices']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I TO huntaze_desktop '
                       'USING (user_id = huntaze_current_user_id()) '
                       'WITH CHECK (user_id = huntaze_current_user_id())',
                       t || '_own_rows', t);
    END LOOP;
END
$$;
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_own_row ON users TO huntaze_desktop
    USING (id = huntaze_current_user_id());

-- Grants. Nothing is granted to PUBLIC; desktops get exactly this.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO huntaze_desktop;
GRANT SELECT ON users TO huntaze_desktop;
GRANT SELECT (id, user_id, name, status, created_at, paired_at, last_seen_at, revoked_at)
    ON devices TO huntaze_desktop;
-- oauth_accounts without access_token_sealed, refresh_token_sealed and key_id.
GRANT SELECT (id, user_id, provider, open_id, display_name, username, avatar_url, scope,
              access_expires_at, refresh_expires_at, status, status_reason, profile, stats,
              created_at, updated_at)
    ON oauth_accounts TO huntaze_desktop;
-- instagram_accounts without page_token_sealed and key_id.
GRANT SELECT (id, user_id, account_id, ig_business_id, page_id, page_name, username,
              access_level, profile, created_at, updated_at)
    ON instagram_accounts TO huntaze_desktop;
-- The desktop runs the publishing queue and records what the platforms answered.
GRANT SELECT, INSERT, UPDATE, DELETE ON publications TO huntaze_desktop;
GRANT SELECT, INSERT, UPDATE ON tiktok_posts, reddit_posts, x_posts, ig_media TO huntaze_desktop;
GRANT SELECT, UPDATE (hidden, updated_at) ON ig_comments TO huntaze_desktop;
GRANT SELECT ON audit_log TO huntaze_desktop;

-- Live updates: processors NOTIFY on this channel with a small JSON payload
-- {"table", "user_id", "id"}; desktops LISTEN and re-read what concerns them.
COMMENT ON TABLE publications IS 'NOTIFY channel huntaze_changes announces changes';
