-- Instants are Unix epoch milliseconds (UTC); durations are seconds.
CREATE TABLE sources (
    id                    INTEGER PRIMARY KEY,
    title                 TEXT    NOT NULL,
    site_url              TEXT,
    feed_url              TEXT    NOT NULL UNIQUE,
    comments_feed_url     TEXT,
    poll_interval_seconds INTEGER NOT NULL,
    etag                  TEXT,
    last_modified         TEXT,
    last_polled_at        INTEGER,
    last_success_at       INTEGER,
    next_poll_at          INTEGER NOT NULL,
    error_count           INTEGER NOT NULL DEFAULT 0,
    last_error            TEXT,
    last_outcome          TEXT,
    lease_until           INTEGER,
    created_at            INTEGER NOT NULL
);
CREATE INDEX sources_due ON sources (next_poll_at);

CREATE TABLE posts (
    id                 INTEGER PRIMARY KEY,
    source_id          INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    key                TEXT    NOT NULL,
    guid               TEXT,
    link               TEXT,
    title              TEXT,
    author             TEXT,
    published_at       INTEGER,
    updated_at         INTEGER,
    categories         TEXT    NOT NULL DEFAULT '[]',
    summary_html       TEXT,
    content_html       TEXT,
    comments_url       TEXT,
    comment_feed_url   TEXT,
    feed_comment_count INTEGER,
    content_hash       TEXT    NOT NULL,
    first_seen_at      INTEGER NOT NULL,
    last_seen_at       INTEGER NOT NULL,
    UNIQUE (source_id, key)
);
CREATE INDEX posts_link ON posts (source_id, link);
CREATE INDEX posts_guid ON posts (source_id, guid);

CREATE TABLE comments (
    id            INTEGER PRIMARY KEY,
    post_id       INTEGER NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    key           TEXT    NOT NULL,
    wp_comment_id INTEGER,
    parent_id     INTEGER REFERENCES comments (id),
    guid          TEXT,
    link          TEXT,
    author        TEXT,
    author_url    TEXT,
    published_at  INTEGER,
    content_html  TEXT,
    content_text  TEXT,
    seen_in       TEXT,
    status        TEXT    NOT NULL,
    first_seen_at INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    UNIQUE (post_id, key)
);
CREATE INDEX comments_status ON comments (status, published_at);

CREATE TABLE moderation_events (
    id          INTEGER PRIMARY KEY,
    comment_id  INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    actor       TEXT    NOT NULL,
    from_status TEXT,
    to_status   TEXT    NOT NULL,
    score       REAL,
    reasons     TEXT
);
CREATE INDEX moderation_events_comment ON moderation_events (comment_id, at);

-- Validators of a source's secondary feeds (site comments feed, per-post comment feeds) for conditional GET.
CREATE TABLE http_validators (
    source_id     INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    url           TEXT    NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    checked_at    INTEGER NOT NULL,
    PRIMARY KEY (source_id, url)
);
