-- The relay stores every webhook event with one insert; this keeps that insert to the
-- work it needs.
--
-- webhook_events.user_id names the user an event was applied to, written when it is
-- processed. Its foreign key goes: PostgreSQL queued the key's check trigger for every
-- stored event even though user_id is always empty then, and DESIGN.md's scale plan
-- distributes the inbox by (provider, external_id), where a key into users (distributed
-- by user id) could not follow anyway. Nothing deletes users; were that added, it would
-- clear webhook_events.user_id itself.
ALTER TABLE webhook_events DROP CONSTRAINT webhook_events_user_id_fkey;
