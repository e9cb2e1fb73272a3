using System.Data;
using System.Text.Json;
using AgleaFeeds.Model;
using Dapper;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Storage;

/// <summary>The moderation aggregate of the SQLite store: scoring's candidates and verdicts, moderators' decisions and labels, the queue, the trust and block lists.</summary>
public sealed partial class FeedStore
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<ScoringCandidate>> ListUnscoredCommentsAsync(int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        // Trust needs the same name and the same e-mail (WordPress's rule; known where the blog's credentials read it)
        // or the same author URL (all a feed carries);
        // a flood is the same name on the same blog within the interval.
        var rows = await connection.QueryAsync<CandidateRow>(
            $"""
            SELECT c.id AS CommentId, c.post_id AS PostId, c.author AS Author, c.author_url AS AuthorUrl, c.content_html AS ContentHtml,
                c.author_email AS AuthorEmail, c.author_ip AS AuthorIp, c.user_agent AS UserAgent,
                s.site_url AS SiteUrl, s.feed_url AS FeedUrl, p.link AS PostLink,
                EXISTS (SELECT 1 FROM comments o JOIN posts op ON op.id = o.post_id
                        WHERE op.source_id = p.source_id AND o.id <> c.id AND o.status = 'Approved'
                          AND o.author = c.author AND (o.author_url = c.author_url OR o.author_email = c.author_email)) AS PreviouslyApproved,
                EXISTS (SELECT 1 FROM comments d WHERE d.post_id = c.post_id AND d.id < c.id AND {_db.NullSafeEquals("d.author", "c.author")}
                          AND d.content_html = c.content_html) AS Duplicate,
                c.published_at - (SELECT MAX(f.published_at) FROM comments f JOIN posts fp ON fp.id = f.post_id
                                  WHERE fp.source_id = p.source_id AND f.id <> c.id AND f.author = c.author
                                    AND f.published_at <= c.published_at) AS SincePreviousMs
            FROM comments c JOIN posts p ON p.id = c.post_id JOIN sources s ON s.id = p.source_id
            WHERE c.status = 'Pending' AND c.removed_at IS NULL
              AND (c.rescore = 1 OR NOT EXISTS (SELECT 1 FROM moderation_events e WHERE e.comment_id = c.id AND e.actor LIKE 'scoring:%' AND e.actor <> 'scoring:none'))
            ORDER BY c.id LIMIT @limit
            """, new { limit }).ConfigureAwait(false);
        return rows.Select(r => new ScoringCandidate
        {
            CommentId = r.CommentId,
            PostId = r.PostId,
            Author = r.Author,
            AuthorUrl = r.AuthorUrl,
            AuthorEmail = r.AuthorEmail,
            AuthorIp = r.AuthorIp,
            UserAgent = r.UserAgent,
            ContentHtml = r.ContentHtml,
            AuthorPreviouslyApproved = r.PreviouslyApproved,
            DuplicateOnPost = r.Duplicate,
            SincePreviousByAuthor = r.SincePreviousMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            OwnHosts = new[] { r.SiteUrl, r.FeedUrl, r.PostLink }.Select(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) ? uri.IdnHost : null).OfType<string>().Where(h => h.Length > 0).Distinct().ToList(),
        }).ToList();
    }

    /// <inheritdoc />
    public Task<int> ApplyVerdictsAsync(IReadOnlyList<VerdictWrite> verdicts, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        return WriteAsync(now, batch => batch.ApplyVerdicts(verdicts), ct);
    }

    /// <inheritdoc />
    public Task<bool> RecordDecisionAsync(long commentId, CommentStatus status, string moderator, string? note, DateTimeOffset now, CancellationToken ct, CommentStatus? expected = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(moderator);
        if (moderator.StartsWith("scoring:", StringComparison.Ordinal) || moderator is "system" or WriteBatch.BlogActor)
        {
            throw new ArgumentException("Storage: a moderator's name cannot be one of the system's actors.", nameof(moderator));
        }

        return WriteAsync(now, batch => batch.RecordDecision(commentId, status, moderator, note, expected), ct);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(long CommentId, AgleaFeeds.Scoring.LabelledComment Label)>> ListModeratorLabelsAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(long Id, string? Content, string? Author, string? AuthorUrl, string Status)>(
            """
            SELECT c.id, c.content_html, c.author, c.author_url, e.to_status
            FROM comments c JOIN moderation_events e ON e.comment_id = c.id
            WHERE e.id = (SELECT MAX(m.id) FROM moderation_events m WHERE m.comment_id = c.id AND m.actor <> 'system' AND m.actor NOT LIKE 'scoring:%')
              AND e.to_status IN ('Spam', 'Approved')
            ORDER BY c.id
            """).ConfigureAwait(false);
        return rows.Select(r => (r.Id, new AgleaFeeds.Scoring.LabelledComment(r.Content ?? string.Empty, r.Status == "Spam", r.Author, r.AuthorUrl))).ToList();
    }

    /// <inheritdoc />
    public Task<int> MarkQueueForRecheckAsync(DateTimeOffset now, CancellationToken ct) =>
        WriteAsync(now, batch => batch.MarkQueueForRecheck(), ct);

    /// <inheritdoc />
    public async Task<long> ModeratorDecisionsStampAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long?>(
            "SELECT MAX(id) FROM moderation_events WHERE actor <> 'system' AND actor NOT LIKE 'scoring:%'").ConfigureAwait(false) ?? 0;
    }

    private sealed class CandidateRow
    {
        public long CommentId { get; set; }
        public long PostId { get; set; }
        public string? Author { get; set; }
        public string? AuthorUrl { get; set; }
        public string? AuthorEmail { get; set; }
        public string? AuthorIp { get; set; }
        public string? UserAgent { get; set; }
        public string? ContentHtml { get; set; }
        public bool PreviouslyApproved { get; set; }
        public bool Duplicate { get; set; }
        public long? SincePreviousMs { get; set; }
        public string? SiteUrl { get; set; }
        public string? FeedUrl { get; set; }
        public string? PostLink { get; set; }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ModerationItem>> ListForModerationAsync(ModerationQuery query, int offset, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var columns = string.Join(", ", CommentColumns.Split(',').Select(c => "c." + c.Trim()));
        var rows = await connection.QueryAsync<CommentRow, ModerationRow, (CommentRow, ModerationRow)>(
            $"""
            SELECT {columns}, 1 AS ModerationSplit, COALESCE(p.page_title, p.title) AS PostTitle, p.link AS PostLink,
                   parent.author AS ParentAuthor, COALESCE(parent.content_text, parent.content_html) AS ParentText,
                   v.score AS Score, v.reasons AS Reasons
            FROM comments c JOIN posts p ON p.id = c.post_id LEFT JOIN comments parent ON parent.id = c.parent_id
            LEFT JOIN moderation_events v ON v.id = (SELECT MAX(e.id) FROM moderation_events e WHERE e.comment_id = c.id AND e.actor LIKE 'scoring:%')
            WHERE c.status = @Status
              AND (@SourceId IS NULL OR p.source_id = @SourceId)
              AND (@PostId IS NULL OR c.post_id = @PostId)
              AND (@Search IS NULL OR c.author LIKE @Search ESCAPE '\' OR c.content_text LIKE @Search ESCAPE '\' OR c.content_html LIKE @Search ESCAPE '\')
              AND (@Reason IS NULL OR v.reasons LIKE @Reason ESCAPE '\')
            ORDER BY {(query.HighestScoreFirst ? "v.score IS NULL, v.score DESC," : string.Empty)} COALESCE(c.published_at, c.first_seen_at) DESC, c.id DESC
            LIMIT @limit OFFSET @offset
            """,
            (comment, m) => (comment, m),
            new { Status = query.Status.ToString(), query.SourceId, query.PostId, Search = Like(query.Search), Reason = Like(query.Reason), limit, offset },
            // Split on a column that is never NULL: Dapper maps a NULL split column (a post without a title) to no object at all.
            splitOn: "ModerationSplit").ConfigureAwait(false);
        return rows.Select(r => new ModerationItem(r.Item1.ToModel(), r.Item2.PostTitle, r.Item2.PostLink, r.Item2.ParentAuthor, r.Item2.ParentText, r.Item2.Score, r.Item2.Reasons)).ToList();
    }

    /// <summary>A LIKE pattern matching the text anywhere, its own % and _ taken literally; null for no filter.</summary>
    private static string? Like(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : "%" + text.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";

    private sealed class ModerationRow
    {
        public string? PostTitle { get; set; }
        public string? PostLink { get; set; }
        public string? ParentAuthor { get; set; }
        public string? ParentText { get; set; }
        public double? Score { get; set; }
        public string? Reasons { get; set; }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ModerationEvent>> ListEventsAsync(long commentId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<EventRow>(
            """
            SELECT id AS Id, comment_id AS CommentId, at AS At, actor AS Actor, from_status AS FromStatus,
                   to_status AS ToStatus, score AS Score, reasons AS Reasons
            FROM moderation_events WHERE comment_id = @commentId ORDER BY at, id
            """, new { commentId }).ConfigureAwait(false);
        return rows.Select(r => r.ToModel()).ToList();
    }

    /// <inheritdoc />
    public async Task<int> CountSpamSinceAsync(DateTimeOffset since, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<int>(
            """
            SELECT COUNT(DISTINCT c.id) FROM comments c JOIN moderation_events e ON e.comment_id = c.id
            WHERE c.status = 'Spam' AND e.to_status = 'Spam' AND e.at >= @since
            """, new { since = since.ToUnixTimeMilliseconds() }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuthorRule>> ListAuthorRulesAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(long Id, string Kind, string Value, string Action, string CreatedBy, long CreatedAt)>(
            "SELECT id, kind, value, action, created_by, created_at FROM author_rules ORDER BY kind, value").ConfigureAwait(false);
        return rows.Select(r => new AuthorRule(r.Id, Enum.Parse<AuthorRuleKind>(r.Kind), r.Value, Enum.Parse<AuthorRuleAction>(r.Action), r.CreatedBy, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt))).ToList();
    }

    /// <inheritdoc />
    public Task SetAuthorRuleAsync(AuthorRuleKind kind, string value, AuthorRuleAction action, string moderator, DateTimeOffset now, CancellationToken ct)
    {
        var normalized = AuthorRule.Normalize(kind, value) ?? throw new ArgumentException($"\"{value}\" is not a valid {kind}.", nameof(value));
        ArgumentException.ThrowIfNullOrWhiteSpace(moderator);
        return WriteAsync(now, batch => batch.SetAuthorRule(kind, normalized, action, moderator), ct);
    }

    /// <inheritdoc />
    public Task<bool> RemoveAuthorRuleAsync(long id, CancellationToken ct) =>
        WriteAsync(DateTimeOffset.UnixEpoch, batch => batch.RemoveAuthorRule(id), ct);
}
