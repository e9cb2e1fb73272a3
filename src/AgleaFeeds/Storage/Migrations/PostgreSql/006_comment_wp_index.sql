-- A comment's WordPress id is only ever looked up within a post or a source: the index is scoped by post.
-- Unscoped, every blog's ids (the same small numbers on every blog) were inserted all over one index,
-- which cost a first sync more than a third of its storing time.
DROP INDEX IF EXISTS comments_wp_id;
CREATE INDEX comments_post_wp_id ON comments (post_id, wp_comment_id);
