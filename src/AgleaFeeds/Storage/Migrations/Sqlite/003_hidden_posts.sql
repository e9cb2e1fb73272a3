-- A moderator can hide a post from the curated feeds; the post and its comments stay stored.
ALTER TABLE posts ADD COLUMN hidden_at INTEGER;
ALTER TABLE posts ADD COLUMN hidden_by TEXT;
