using AgleaFeeds.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Scoring;

/// <summary>
/// Judges the comments waiting for a verdict, in batches, as <see cref="Judge"/> decides: the model in
/// use, this blog's model when moderators have taught it enough, the rules; the verdicts stored as
/// moderation events by "scoring:{version}" ("+blogN" when the blog's model of N decisions took part).
/// </summary>
public sealed partial class CommentScorer(
    IFeedStore store,
    SpamModelProvider models,
    BlogModelProvider blogs,
    IOptions<ScoringOptions> options,
    TimeProvider time,
    Observability.PipelineMetrics metrics,
    ILogger<CommentScorer> logger)
{
    /// <summary>Scores every unjudged pending comment, <paramref name="batchSize"/> at a time; returns the verdicts by status.</summary>
    public async Task<IReadOnlyDictionary<Model.CommentStatus, int>> ScorePendingAsync(int batchSize, CancellationToken ct)
    {
        var counts = new Dictionary<Model.CommentStatus, int>();
        var o = options.Value;
        var blog = await blogs.GetAsync(ct).ConfigureAwait(false);
        var actor = blog is null ? $"scoring:{models.Version}" : $"scoring:{models.Version}+blog{blog.Labels}";
        var rules = o.Rules.With(await store.ListAuthorRulesAsync(ct).ConfigureAwait(false));
        if (models.Error is { } error)
        {
            LogNoModel(logger, error);
        }

        while (true)
        {
            var batch = await store.ListUnscoredCommentsAsync(batchSize, ct).ConfigureAwait(false);
            if (batch.Count == 0)
            {
                return counts;
            }

            var started = time.GetTimestamp();
            var decided = Judge.Decide(models.Model, batch.Select(c => new RuleInput
            {
                Author = c.Author,
                AuthorUrl = c.AuthorUrl,
                AuthorEmail = c.AuthorEmail,
                AuthorIp = c.AuthorIp,
                UserAgent = c.UserAgent,
                Content = c.ContentHtml,
                AuthorPreviouslyApproved = c.AuthorPreviouslyApproved,
                DuplicateOnPost = c.DuplicateOnPost,
                SincePreviousByAuthor = c.SincePreviousByAuthor,
                OwnHosts = c.OwnHosts,
            }).ToList(), o, rules, models.Error, blog);
            var verdicts = new List<VerdictWrite>(batch.Count);
            for (var i = 0; i < batch.Count; i++)
            {
                var verdict = decided[i];
                verdicts.Add(new VerdictWrite(batch[i].CommentId, verdict.Status, verdict.Score, string.Join("; ", verdict.Reasons), actor));
                counts[verdict.Status] = counts.GetValueOrDefault(verdict.Status) + 1;
            }

            await store.ApplyVerdictsAsync(verdicts, time.GetUtcNow(), ct).ConfigureAwait(false);
            metrics.Scored(time.GetElapsedTime(started), verdicts.GroupBy(v => v.Status).Select(g => KeyValuePair.Create(g.Key, g.Count())));
            if (batch.Count < batchSize)
            {
                return counts;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Error} Comments stay Pending until a model is available.")]
    private static partial void LogNoModel(ILogger logger, string error);
}
