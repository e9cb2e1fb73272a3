using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AgleaFeeds.Model;
using System.Data.Common;

namespace AgleaFeeds.Storage;

/// <summary>Sources in a write: a poll's outcome and the validators of its secondary feeds.</summary>
internal sealed partial class WriteBatch
{
    /// <summary>Stores the validators of a source's secondary feed URL.</summary>
    public void SaveValidators(long sourceId, string url, HttpValidators validators)
    {
        var save = Command(
            ref _saveValidators,
            """
            INSERT INTO http_validators (source_id, url, etag, last_modified, checked_at) VALUES (@source, @url, @etag, @lastModified, @now)
            ON CONFLICT (source_id, url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified, checked_at = excluded.checked_at
            """,
            "@source", "@url", "@etag", "@lastModified", "@now");
        Bind(save, sourceId, url, validators.ETag, validators.LastModified, _at);
        save.ExecuteNonQuery();
    }

    /// <summary>Records a poll's outcome on its source and releases the lease.</summary>
    public void SavePollState(SourcePollState state)
    {
        // Prepared once and kept with the writer: each poll of each source ends here, a 304 poll with nothing else.
        var command = Command(
            ref _savePollState,
            """
                UPDATE sources SET
                    feed_url = CASE WHEN CAST(@newFeedUrl AS TEXT) IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sources o WHERE o.feed_url = @newFeedUrl)
                                    THEN @newFeedUrl ELSE feed_url END,
                    comments_feed_url = COALESCE(@commentsFeedUrl, comments_feed_url),
                    site_url = COALESCE(site_url, @siteUrl),
                    api_root = COALESCE(@apiRoot, api_root),
                    api_comment_total = COALESCE(@apiTotal, api_comment_total),
                    api_post_total = COALESCE(@apiPostTotal, api_post_total),
                    api_synced_at = CASE WHEN @apiSynced THEN @polledAt ELSE api_synced_at END,
                    backfilled_at = CASE WHEN @backfilled THEN @polledAt ELSE backfilled_at END,
                    etag = CASE WHEN @succeeded THEN @etag ELSE etag END,
                    last_modified = CASE WHEN @succeeded THEN @lastModified ELSE last_modified END,
                    last_polled_at = @polledAt,
                    last_success_at = CASE WHEN @succeeded THEN @polledAt ELSE last_success_at END,
                    next_poll_at = @nextPollAt,
                    error_count = @errorCount,
                    last_error = @error,
                    last_outcome = @outcome,
                    feed_interval_seconds = COALESCE(@feedInterval, feed_interval_seconds),
                    schedule_reason = @scheduleReason,
                    lease_until = NULL
                WHERE id = @id
                """,
            "@id", "@newFeedUrl", "@commentsFeedUrl", "@siteUrl", "@apiRoot", "@apiTotal", "@apiPostTotal", "@apiSynced", "@backfilled",
            "@succeeded", "@etag", "@lastModified", "@polledAt", "@nextPollAt", "@errorCount", "@error", "@outcome", "@feedInterval", "@scheduleReason");
        Bind(
            command,
            state.SourceId, state.NewFeedUrl, state.CommentsFeedUrl, state.SiteUrl, state.ApiRoot, state.ApiCommentTotal, state.ApiPostTotal, state.ApiSynced, state.Backfilled,
            state.Succeeded, state.ETag, state.LastModified, state.PolledAt.ToUnixTimeMilliseconds(), state.NextPollAt.ToUnixTimeMilliseconds(),
            state.ErrorCount, state.Error, state.Outcome, state.FeedInterval is { } f ? (long)f.TotalSeconds : null, state.ScheduleReason);
        command.ExecuteNonQuery();
    }
}
