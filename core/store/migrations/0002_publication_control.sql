-- The creator controls the queue: a publication can be paused (kept, not worked on)
-- and cancelled (kept for the record, never worked on again).
ALTER TABLE publications DROP CONSTRAINT publications_state_check;
ALTER TABLE publications ADD CONSTRAINT publications_state_check
    CHECK (state IN ('queued', 'uploading', 'processing', 'published', 'failed',
                     'needs_action', 'paused', 'cancelled'));

-- Every change to a publication is announced, whoever made it (the desktop's queue, a
-- second desktop, the command line, the relay's processors), so every open window
-- follows it live. Payload as the processors': {"table", "user_id", "key"}.
CREATE FUNCTION huntaze_notify_publication() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM pg_notify('huntaze_changes',
                      json_build_object('table', 'publications', 'user_id', NEW.user_id,
                                        'key', NEW.id::text)::text);
    RETURN NULL;
END
$$;
CREATE TRIGGER publications_notify AFTER INSERT OR UPDATE ON publications
    FOR EACH ROW EXECUTE FUNCTION huntaze_notify_publication();
