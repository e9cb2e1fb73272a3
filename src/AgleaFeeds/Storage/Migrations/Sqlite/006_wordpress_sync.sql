-- Following a real WordPress: where a post's or comment's content came from (1 feed, 2 page, 3 REST API: a
-- better source replaces a worse one, never the reverse), its WordPress id, and when the store last changed
-- what the feeds show of it (the entries' atom:updated and the feeds' Last-Modified).
ALTER TABLE posts ADD COLUMN wp_post_id INTEGER;
ALTER TABLE posts ADD COLUMN content_rank INTEGER NOT NULL DEFAULT 1;
ALTER TABLE posts ADD COLUMN edited_at INTEGER;
ALTER TABLE posts ADD COLUMN changed_at INTEGER;
UPDATE posts SET changed_at = last_seen_at;
CREATE INDEX posts_wp_id ON posts (source_id, wp_post_id);

ALTER TABLE comments ADD COLUMN content_rank INTEGER NOT NULL DEFAULT 1;
ALTER TABLE comments ADD COLUMN edited_at INTEGER;
ALTER TABLE comments ADD COLUMN changed_at INTEGER;
-- Set when the content changed after scoring judged it: the comment is scored again on the cleaned content.
ALTER TABLE comments ADD COLUMN rescore INTEGER NOT NULL DEFAULT 0;
UPDATE comments SET changed_at = COALESCE(removed_at, last_seen_at);
UPDATE comments SET content_rank = 2 WHERE seen_in = 'page';
CREATE INDEX comments_wp_id ON comments (wp_comment_id);

-- The blog's REST API root when it offers one (discovered from its Link header), and when the posts were
-- last read in full (the first sync, from the API or the paged feeds).
ALTER TABLE sources ADD COLUMN api_root TEXT;
ALTER TABLE sources ADD COLUMN backfilled_at INTEGER;
-- The API's comment total (X-WP-Total) after the last poll: a poll whose total does not grow by exactly the new
-- comments it sees reads the whole list of ids, which is what removals are decided from.
ALTER TABLE sources ADD COLUMN api_comment_total INTEGER;
-- The same for posts: a post the blog no longer publishes (trashed, made private or a draft) is hidden with
-- hidden_by 'blog', and shown again if the blog publishes it again.
ALTER TABLE sources ADD COLUMN api_post_total INTEGER;
-- When the API was last read without error: later polls ask it only for what changed since (less a day of slack).
ALTER TABLE sources ADD COLUMN api_synced_at INTEGER;
-- The WordPress id of the comment replied to, kept until that comment is stored (a reply can arrive first).
ALTER TABLE comments ADD COLUMN parent_wp_id INTEGER;
-- Media attached to a post (podcasts): [{"Url":…,"Type":…,"Length":…}], republished as link rel="enclosure".
ALTER TABLE posts ADD COLUMN enclosures TEXT NOT NULL DEFAULT '[]';
