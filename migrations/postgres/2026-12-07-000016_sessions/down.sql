DROP TABLE session_events;
DROP FUNCTION session_events_is_append_only();
DROP TABLE session_items;
DROP TABLE sessions;
