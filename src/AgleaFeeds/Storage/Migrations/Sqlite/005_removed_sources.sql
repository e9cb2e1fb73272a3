-- Sources an operator removed: the start-up import of the sources file does not bring them back.
CREATE TABLE removed_sources (
    feed_url   TEXT PRIMARY KEY,
    removed_by TEXT NOT NULL,
    removed_at INTEGER NOT NULL
);
