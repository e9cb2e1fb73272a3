-- What the post page says, beside what the feed said: both are kept as fetched.
ALTER TABLE posts ADD COLUMN page_title TEXT;
ALTER TABLE posts ADD COLUMN page_author TEXT;
ALTER TABLE posts ADD COLUMN page_content_html TEXT;
ALTER TABLE posts ADD COLUMN page_published_at INTEGER;
ALTER TABLE posts ADD COLUMN page_modified_at INTEGER;
ALTER TABLE posts ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
ALTER TABLE posts ADD COLUMN page_categories TEXT NOT NULL DEFAULT '[]';
ALTER TABLE posts ADD COLUMN page_comment_count INTEGER;
ALTER TABLE posts ADD COLUMN scraped_at INTEGER;
ALTER TABLE posts ADD COLUMN scrape_error TEXT;
ALTER TABLE posts ADD COLUMN scrape_outcome TEXT;
CREATE INDEX posts_recent ON posts (published_at);

-- Threading and kind, known only from the page; a comment the blog removed is marked, never deleted.
ALTER TABLE comments ADD COLUMN depth INTEGER;
ALTER TABLE comments ADD COLUMN avatar_url TEXT;
ALTER TABLE comments ADD COLUMN type TEXT NOT NULL DEFAULT 'comment';
ALTER TABLE comments ADD COLUMN comment_page INTEGER;
ALTER TABLE comments ADD COLUMN removed_at INTEGER;
CREATE INDEX comments_parent ON comments (parent_id);
