-- A post being scraped is leased to the worker scraping it (on any host), so two hosts never scrape one post at once.
ALTER TABLE posts ADD COLUMN scrape_lease_until INTEGER;
ALTER TABLE posts ADD COLUMN scrape_lease_owner TEXT;
