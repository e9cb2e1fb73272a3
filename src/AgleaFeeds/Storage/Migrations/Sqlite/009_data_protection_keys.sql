-- ASP.NET Core Data Protection's key ring, when it is kept in the store (on PostgreSQL: every host reads the same
-- keys, so cookies, antiforgery tokens and encrypted secrets work on all of them). SQLite keeps its keys in files.
CREATE TABLE data_protection_keys (
    id            INTEGER PRIMARY KEY,
    friendly_name TEXT    NOT NULL UNIQUE,
    xml           TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
);
