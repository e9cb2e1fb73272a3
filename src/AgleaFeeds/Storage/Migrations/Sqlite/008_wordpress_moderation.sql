-- Two-way moderation with a blog's WordPress (an application password per source).
-- The credentials: the password only as ASP.NET Core Data Protection ciphertext (keys beside the data).
CREATE TABLE wordpress_connections (
    source_id        INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
    api_root         TEXT    NOT NULL,
    user_name        TEXT    NOT NULL,
    secret           TEXT    NOT NULL,
    -- 'dashboard' (the Connect form) or 'configuration' (Sources:WordPress:<n>).
    origin           TEXT    NOT NULL,
    -- Whether automatic verdicts are pushed too (default: only moderators' decisions).
    push_verdicts    INTEGER NOT NULL DEFAULT 0,
    connected_at     INTEGER NOT NULL,
    connected_by     TEXT    NOT NULL,
    -- The last check or read with the credentials: when, and what went wrong (null when all was well).
    checked_at       INTEGER,
    check_error      TEXT,
    -- The blog's history imported as labels: when, and how many.
    history_at       INTEGER,
    history_count    INTEGER NOT NULL DEFAULT 0
);

-- What only a moderator of the blog sees (read with context=edit), and the comment's status on the blog as
-- last read with the credentials ('approved', 'hold', 'spam', 'trash'); null when only read publicly.
ALTER TABLE comments ADD COLUMN author_email TEXT;
ALTER TABLE comments ADD COLUMN author_ip TEXT;
ALTER TABLE comments ADD COLUMN user_agent TEXT;
ALTER TABLE comments ADD COLUMN blog_status TEXT;
-- Pushing a decision to the blog: 'pending' (to push at sync_next_at), 'pushed', 'failed', 'conflict'; the
-- WordPress status wanted, the last answer or reason, attempts so far, and who decided.
ALTER TABLE comments ADD COLUMN sync_state TEXT;
ALTER TABLE comments ADD COLUMN sync_wanted TEXT;
ALTER TABLE comments ADD COLUMN sync_note TEXT;
ALTER TABLE comments ADD COLUMN sync_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE comments ADD COLUMN sync_next_at INTEGER;
ALTER TABLE comments ADD COLUMN sync_by TEXT;
ALTER TABLE comments ADD COLUMN sync_at INTEGER;
CREATE INDEX comments_sync_due ON comments (sync_state, sync_next_at) WHERE sync_state = 'pending';

-- Every push attempt and its answer: the audit of what was done to the blog, by whose decision.
CREATE TABLE blog_pushes (
    id          INTEGER PRIMARY KEY,
    comment_id  INTEGER NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    at          INTEGER NOT NULL,
    decided_by  TEXT    NOT NULL,
    wanted      TEXT    NOT NULL,
    outcome     TEXT    NOT NULL,
    answer      TEXT
);
CREATE INDEX blog_pushes_comment ON blog_pushes (comment_id, at);
