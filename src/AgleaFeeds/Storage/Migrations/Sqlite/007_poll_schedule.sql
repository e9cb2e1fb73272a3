-- The feed's own update hint (sy:updatePeriod/Frequency, RSS ttl), kept across 304s, and why the next poll is when it is.
ALTER TABLE sources ADD COLUMN feed_interval_seconds INTEGER;
ALTER TABLE sources ADD COLUMN schedule_reason TEXT;
