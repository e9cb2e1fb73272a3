-- The moderators' trust and block lists (authors, e-mail domains, URL domains), read by the scoring rules.
CREATE TABLE author_rules (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('Author', 'EmailDomain', 'UrlDomain')),
    value      TEXT NOT NULL COLLATE NOCASE,
    action     TEXT NOT NULL CHECK (action IN ('Trust', 'Block')),
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (kind, value)
);
