using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Model;
using AgleaFeeds.Scoring;
using AgleaFeeds.Storage;

namespace AgleaFeeds.Host.Tests.Scoring;

public sealed class ModelRetrainerTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    /// <summary>A comment of the kind <see cref="ModerateAsync"/>'s moderators caught as spam.</summary>
    internal const string Probe = "zorblax crypto doubler: send 1 coin, get 2 back, join the zorblax club";

    /// <summary>A blog whose moderators caught a new kind of spam the corpora never saw, and approved its regulars.</summary>
    private static async Task<TestPipeline> ModeratedBlogAsync(int spam, int ham, Dictionary<string, string?> settings)
    {
        var pipeline = await TestPipeline.CreateAsync(settings);
        var source = await pipeline.AddSourceAsync("http://127.0.0.1:9/feed/");
        await ModerateAsync(pipeline.Store, source, spam, ham, pipeline.Time.GetUtcNow());
        return pipeline;
    }

    /// <summary>
    /// Stores <paramref name="spam"/> zorblax spam and <paramref name="ham"/> regulars' comments on a source, each decided by a
    /// moderator. The post's page is on a closed port of this machine: a running host that scrapes it reaches nothing else.
    /// </summary>
    internal static async Task ModerateAsync(IFeedStore store, long source, int spam, int ham, DateTimeOffset now)
    {
        await store.UpsertPostsAsync(source, [new PostUpsert { Key = "p", Guid = "p", Link = "http://127.0.0.1:9/p/", Title = "Post" }], now, Ct);
        string[] regulars = ["Thanks for the meetup report", "See you at the garden on Saturday", "Great photos from the fair", "I can help with the newsletter"];
        var comments = Enumerable.Range(0, spam).Select(i => (Text: $"<p>zorblax crypto doubler round {i}: send coins, get double back, join zorblax</p>", Spam: true))
            .Concat(Enumerable.Range(0, ham).Select(i => (Text: $"<p>{regulars[i % regulars.Length]} ({i})</p>", Spam: false)))
            .Select((c, i) => (Upsert: new CommentUpsert { PostGuid = "p", PostLink = "http://127.0.0.1:9/p/", Key = $"{i + 1}", WordPressId = i + 1, Author = $"Reader {i}", ContentHtml = c.Text, SeenIn = "page" }, c.Spam))
            .ToList();
        await store.UpsertCommentsAsync(source, comments.Select(c => c.Upsert).ToList(), now, Ct);
        var post = (await store.ListPostsAsync(source, Ct)).Single();
        foreach (var stored in await store.ListCommentsAsync(post.Id, Ct))
        {
            var isSpam = comments.Single(c => c.Upsert.Key == stored.Key).Spam;
            await store.RecordDecisionAsync(stored.Id, isSpam ? CommentStatus.Spam : CommentStatus.Approved, "moderator-ann", null, now, Ct);
        }
    }

    [Fact]
    public async Task RetrainAsync_ModeratorLabelledSpam_RaisesTheScoreOfSimilarCommentsAndCanBeRolledBack()
    {
        await using var pipeline = await ModeratedBlogAsync(40, 40, new() { ["Scoring:CorpusPath"] = "/nonexistent", ["Scoring:MinLocalLabels"] = "40" });
        var models = pipeline.Get<SpamModelProvider>();
        var before = models.Model!.Score([(Probe, null)])[0];

        var result = await pipeline.Get<ModelRetrainer>().RetrainAsync(Ct);

        Assert.True(result.Promoted, result.Message);
        Assert.Contains("80 moderator label(s) (40 spam", result.Message, StringComparison.Ordinal);
        // Every label is measured, each by a candidate that never saw it.
        Assert.Contains("local labels (3-fold cross-validation): F1 ", result.Message, StringComparison.Ordinal);
        Assert.Contains("no corpus at /nonexistent", result.Message, StringComparison.Ordinal);
        Assert.Equal(result.Version, models.Version);
        Assert.Contains(result.Version!, models.Versions());
        var after = models.Model!.Score([(Probe, null)])[0];
        Assert.True(after > before && after > 0.5, $"before {before}, after {after}");

        models.Activate("shipped");
        Assert.StartsWith("shipped-", models.Version, StringComparison.Ordinal);
        Assert.Equal(before, models.Model!.Score([(Probe, null)])[0]);
    }

    [Fact]
    public async Task RetrainAsync_TooFewLabelsAndNoCorpus_RefusesAndSaysWhatItHad()
    {
        await using var pipeline = await ModeratedBlogAsync(3, 3, new() { ["Scoring:CorpusPath"] = "/nonexistent" });

        var result = await pipeline.Get<ModelRetrainer>().RetrainAsync(Ct);

        Assert.False(result.Promoted);
        Assert.StartsWith("Scoring: retrain refused: 6 moderator label(s) (3 spam,", result.Message, StringComparison.Ordinal);
        Assert.Contains("at least 200 labels", result.Message, StringComparison.Ordinal);
        Assert.StartsWith("shipped-", pipeline.Get<SpamModelProvider>().Version, StringComparison.Ordinal);
    }
}
