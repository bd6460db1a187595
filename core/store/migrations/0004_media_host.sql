-- The relay's media host (issue 6). Instagram only takes photos by a public URL, so a
-- creator's local JPEG is uploaded to the relay (POST /v1/media) and served, without a
-- credential, at an unguessable address (GET /media/<token>.jpg) until it expires.
--
-- Relay only: nothing is granted to huntaze_desktop, and row-level security is on with
-- no policy for it, so a desktop role reads no row even if a grant appeared later.
CREATE TABLE hosted_media (
    token        text PRIMARY KEY CHECK (token ~ '^[0-9a-f]{32}$'), -- 128 random bits
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    content_type text NOT NULL DEFAULT 'image/jpeg' CHECK (content_type = 'image/jpeg'),
    bytes        bytea NOT NULL CHECK (octet_length(bytes) BETWEEN 3 AND 8388608),
    sha256       bytea NOT NULL CHECK (octet_length(sha256) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL DEFAULT now() + interval '48 hours',
    -- The same photo uploaded again by the same user gets the same address back.
    UNIQUE (user_id, sha256)
);
-- JPEG does not compress: store it out of line without trying.
ALTER TABLE hosted_media ALTER COLUMN bytes SET STORAGE EXTERNAL;
CREATE INDEX hosted_media_expires_idx ON hosted_media (expires_at);
ALTER TABLE hosted_media ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON hosted_media FROM PUBLIC;
