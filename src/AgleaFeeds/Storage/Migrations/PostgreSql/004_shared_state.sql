-- What the hosts on one store share besides the content (the twin of SQLite's 011).
-- The feeds as last published (static copy written, WebSub hub pinged): a change is published once, by one host,
-- and not again after a restart.
CREATE TABLE published_feeds (
    path         TEXT    PRIMARY KEY,
    etag         TEXT    NOT NULL,
    published_at BIGINT  NOT NULL
);
-- Dashboard sessions (used on PostgreSQL: a moderator signed in on one host is signed in on every host). The key
-- is the SHA-256 of the cookie's random key, so the table holds no usable cookie.
CREATE TABLE dashboard_sessions (
    key_hash   TEXT    PRIMARY KEY,
    ticket     BYTEA   NOT NULL,
    expires_at BIGINT  NOT NULL
);
-- Spam model versions and the one in use (used on PostgreSQL: a retrain on one host is used by every host; SQLite
-- keeps them as files under the data folder).
CREATE TABLE model_versions (
    version  TEXT    PRIMARY KEY,
    zip      BYTEA   NOT NULL,
    note     TEXT    NOT NULL,
    saved_at BIGINT  NOT NULL
);
CREATE TABLE store_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
