DROP TABLE session_events;
DROP TABLE session_items;
DROP TABLE sessions;
