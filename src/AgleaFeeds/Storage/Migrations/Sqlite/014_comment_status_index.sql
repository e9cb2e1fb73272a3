-- Comments are looked up by status alone (the scoring queue in id order; the moderation queue and the
-- published comments are ordered by COALESCE(published_at, first_seen_at), which the old second column
-- never served). Keyed by (status, published_at), a first sync's comments (published over years, arriving
-- blog by blog) were inserted all over the index: every transaction dirtied a page per comment, more than
-- half of storing a first sync's comments. Keyed by status, a new comment's entry goes at the end of its run.
DROP INDEX IF EXISTS comments_status;
CREATE INDEX comments_status ON comments (status);
