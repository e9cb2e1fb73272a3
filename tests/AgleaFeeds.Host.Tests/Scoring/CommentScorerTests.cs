using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Model;
using AgleaFeeds.Scoring;

namespace AgleaFeeds.Host.Tests.Scoring;

public sealed class CommentScorerTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private FixtureSite _site = null!;
    private TestPipeline _pipeline = null!;
    private long _source;

    public async Task InitializeAsync()
    {
        _site = await FixtureSite.StartAsync();
        _pipeline = await TestPipeline.CreateAsync();
        _source = await _pipeline.AddSourceAsync(_site.PostsFeed);
        await _pipeline.Refresher.RefreshAsync(_source, Ct);
    }

    public async Task DisposeAsync()
    {
        await _pipeline.DisposeAsync();
        await _site.DisposeAsync();
    }

    private async Task<List<Comment>> CommentsAsync(TestPipeline pipeline)
    {
        var all = new List<Comment>();
        foreach (var post in await pipeline.Store.ListPostsAsync(_source, Ct))
        {
            all.AddRange(await pipeline.Store.ListCommentsAsync(post.Id, Ct));
        }

        return all;
    }

    [Fact]
    public async Task ScorePendingAsync_SampleBlog_JudgesEveryCommentOnceWithReasons()
    {
        var first = await _pipeline.Get<CommentScorer>().ScorePendingAsync(7, Ct);
        var second = await _pipeline.Get<CommentScorer>().ScorePendingAsync(7, Ct);

        Assert.Equal(19, first.Values.Sum());
        Assert.Empty(second);
        var comments = await CommentsAsync(_pipeline);
        Assert.Equal(CommentStatus.Spam, comments.Single(c => c.WordPressId == 103).Status);
        Assert.Equal(CommentStatus.Spam, comments.Single(c => c.WordPressId == 82).Status);
        Assert.Contains(comments, c => c.Status == CommentStatus.Approved);
        foreach (var comment in comments)
        {
            var events = await _pipeline.Store.ListEventsAsync(comment.Id, Ct);
            var verdict = Assert.Single(events, e => e.Actor.StartsWith("scoring:", StringComparison.Ordinal));
            Assert.NotNull(verdict.Score);
            Assert.False(string.IsNullOrEmpty(verdict.Reasons));
            Assert.Equal(comment.Status, verdict.To);
        }
    }

    [Fact]
    public async Task ScorePendingAsync_AfterModeratorsDecide_TheNextCommentsAreJudgedWithThisBlogsModel()
    {
        await _pipeline.Get<CommentScorer>().ScorePendingAsync(50, Ct);
        var comments = await CommentsAsync(_pipeline);
        // Twelve decisions, of both kinds: enough for this blog's model.
        foreach (var (comment, i) in comments.Take(12).Select((c, i) => (c, i)))
        {
            await _pipeline.Store.RecordDecisionAsync(comment.Id, i % 3 == 0 ? CommentStatus.Spam : CommentStatus.Approved, "moderator-ann", null, DateTimeOffset.UtcNow, Ct);
        }

        var post = (await _pipeline.Store.ListPostsAsync(_source, Ct)).First();
        await _pipeline.Store.UpsertCommentsAsync(_source, [new Storage.CommentUpsert { PostGuid = post.Guid!, PostLink = post.Link!, Key = "new-1", WordPressId = 9001, Author = "New Reader", ContentHtml = "<p>Thanks, this helped our group a lot.</p>", SeenIn = "page" }], DateTimeOffset.UtcNow, Ct);

        await _pipeline.Get<CommentScorer>().ScorePendingAsync(50, Ct);

        var added = (await CommentsAsync(_pipeline)).Single(c => c.WordPressId == 9001);
        var verdict = Assert.Single(await _pipeline.Store.ListEventsAsync(added.Id, Ct), e => e.Actor.StartsWith("scoring:", StringComparison.Ordinal));
        Assert.EndsWith("+blog12", verdict.Actor, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScorePendingAsync_ModeratorsStoredLists_BlockAndTrustWhatTheyName()
    {
        var store = _pipeline.Store;
        await store.SetAuthorRuleAsync(AuthorRuleKind.Author, "  Grace Cho ", AuthorRuleAction.Block, "ann", DateTimeOffset.UtcNow, Ct);
        await store.SetAuthorRuleAsync(AuthorRuleKind.UrlDomain, "https://www.DanielPark.example.com/about", AuthorRuleAction.Block, "ann", DateTimeOffset.UtcNow, Ct);
        await store.SetAuthorRuleAsync(AuthorRuleKind.UrlDomain, "danielpark.example.com", AuthorRuleAction.Trust, "bob", DateTimeOffset.UtcNow, Ct);
        await store.SetAuthorRuleAsync(AuthorRuleKind.Author, "Eun 'Anna' Kim", AuthorRuleAction.Trust, "bob", DateTimeOffset.UtcNow, Ct);

        await _pipeline.Get<CommentScorer>().ScorePendingAsync(50, Ct);

        var entries = await store.ListAuthorRulesAsync(Ct);
        Assert.Equal([(AuthorRuleKind.Author, "Eun 'Anna' Kim", AuthorRuleAction.Trust, "bob"), (AuthorRuleKind.Author, "Grace Cho", AuthorRuleAction.Block, "ann"), (AuthorRuleKind.UrlDomain, "danielpark.example.com", AuthorRuleAction.Trust, "bob")],
            entries.Select(e => (e.Kind, e.Value, e.Action, e.CreatedBy)));
        var comments = await CommentsAsync(_pipeline);
        var grace = comments.First(c => c.Author == "Grace Cho");
        var anna = comments.Single(c => c.WordPressId == 102);
        Assert.All(comments.Where(c => c.Author == "Grace Cho"), c => Assert.Equal(CommentStatus.Spam, c.Status));
        Assert.Contains("blocked-by-moderator", (await store.ListEventsAsync(grace.Id, Ct)).Last().Reasons, StringComparison.Ordinal);
        Assert.Equal(CommentStatus.Approved, anna.Status);
        Assert.Contains("trusted-by-moderator", (await store.ListEventsAsync(anna.Id, Ct)).Last().Reasons, StringComparison.Ordinal);
        Assert.True(await store.RemoveAuthorRuleAsync(entries[0].Id, Ct));
        Assert.False(await store.RemoveAuthorRuleAsync(entries[0].Id, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => store.SetAuthorRuleAsync(AuthorRuleKind.EmailDomain, "not a domain", AuthorRuleAction.Block, "ann", DateTimeOffset.UtcNow, Ct));
    }

    [Fact]
    public async Task ScorePendingAsync_CorruptModel_LeavesCommentsPendingWithTheErrorRecordedOnce()
    {
        var corrupt = Path.Combine(_pipeline.Folder, "corrupt.zip");
        await File.WriteAllTextAsync(corrupt, "not a model");
        await using var broken = await TestPipeline.CreateAsync(new Dictionary<string, string?> { ["Scoring:ModelPath"] = corrupt }, _pipeline.Folder);

        await broken.Get<CommentScorer>().ScorePendingAsync(50, Ct);
        await broken.Get<CommentScorer>().ScorePendingAsync(50, Ct);

        var comments = await CommentsAsync(broken);
        Assert.All(comments, c => Assert.Equal(CommentStatus.Pending, c.Status));
        var events = await broken.Store.ListEventsAsync(comments[0].Id, Ct);
        var recorded = Assert.Single(events, e => e.Actor == "scoring:none");
        Assert.Contains($"model-unavailable: Scoring: the model file {corrupt} cannot be used", recorded.Reasons, StringComparison.Ordinal);

        // Once a model is there, the same comments are judged.
        var judged = await _pipeline.Get<CommentScorer>().ScorePendingAsync(50, Ct);
        Assert.Equal(19, judged.Values.Sum());
    }
}
