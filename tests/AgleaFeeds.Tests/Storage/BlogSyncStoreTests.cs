using AgleaFeeds.Model;
using AgleaFeeds.Storage;

namespace AgleaFeeds.Tests.Storage;

/// <summary>
/// Two-way moderation in the real SQLite store: what the blog holds waits here and is never published; a
/// decision on a connected blog's comment is queued for the blog in the decision's transaction; the blog's
/// state wins a conflict, recorded; automatic approvals of held comments stay suggestions unless pushed.
/// </summary>
public sealed class BlogSyncStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static CommentUpsert OnBlog(long id, string status, string text = "Thanks, this helped.") => new()
    {
        PostLink = "https://blog.example/post/",
        PostWordPressId = 7,
        Key = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        WordPressId = id,
        Link = $"https://blog.example/post/#comment-{id}",
        Author = "Ann",
        ContentHtml = $"<p>{text}</p>",
        SeenIn = "api",
        ContentRank = ContentRanks.Api,
        AuthorEmail = "ann@mail.example",
        AuthorIp = "192.0.2.7",
        UserAgent = "Mozilla/5.0",
        BlogStatus = status,
    };

    private static async Task<(TempDatabase Db, long Source)> ConnectedAsync(string provider, bool pushVerdicts = false, bool connect = true)
    {
        var db = await TempDatabase.CreateAsync(provider);
        var source = await db.Store.AddSourceAsync(new SourceDefinition("Blog", "https://blog.example/feed/"), Now, Ct);
        await db.Store.UpsertPostsAsync(source, [new PostUpsert { Key = "p", Guid = "p", Link = "https://blog.example/post/", Title = "Post", ContentHtml = "<p>Post</p>", WordPressId = 7 }], Now, Ct);
        if (connect)
        {
            await db.Store.SaveConnectionAsync(new BlogConnection
            {
                SourceId = source, ApiRoot = "https://blog.example/wp-json/", User = "editor", Secret = "ciphertext", Origin = "dashboard",
                PushVerdicts = pushVerdicts, ConnectedAt = Now, ConnectedBy = "mod",
            }, Ct);
        }

        return (db, source);
    }

    private static async Task<Comment> OnlyCommentAsync(TempDatabase db, long source) =>
        Assert.Single(await db.Store.ListCommentsAsync(Assert.Single(await db.Store.ListPostsAsync(source, Ct)).Id, Ct));

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task HeldOnTheBlog_WaitsHereWithWhatModeratorsSee_AndNoRemovalPassTakesIt(string provider)
    {
        var (db, source) = await ConnectedAsync(provider);
        await using var _ = db;

        var (added, _) = await db.Store.SaveBlogCommentsAsync(source, [OnBlog(41, "hold")], asLabels: false, Now, Ct);
        // The public list (approved comments only) does not hold it: not a removal.
        await db.Store.SavePollAsync(new PollWrite(source, Now, [], [], []) { PublishedCommentIds = new HashSet<long>() }, _ => new SourcePollState { SourceId = source, PolledAt = Now, NextPollAt = Now.AddHours(1), Succeeded = true }, Ct);

        Assert.Equal(1, added);
        var comment = await OnlyCommentAsync(db, source);
        Assert.Equal((CommentStatus.Pending, "hold", "ann@mail.example", "192.0.2.7", "Mozilla/5.0", (DateTimeOffset?)null),
            (comment.Status, comment.BlogStatus, comment.AuthorEmail, comment.AuthorIp, comment.UserAgent, comment.RemovedAt));
        Assert.Empty(await db.Store.ListApprovedCommentsAsync(null, 0, 10, Ct));
        var candidate = Assert.Single(await db.Store.ListUnscoredCommentsAsync(10, Ct));
        Assert.Equal(("ann@mail.example", "192.0.2.7"), (candidate.AuthorEmail, candidate.AuthorIp));
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task AnAuthorWithAnApprovedComment_IsKnownByNameAndEmail_AsWordPressDoes(string provider)
    {
        var (db, source) = await ConnectedAsync(provider);
        await using var _ = db;
        await db.Store.SaveBlogCommentsAsync(source, [OnBlog(40, "approved"), OnBlog(41, "hold", "Me again, with another thought.") with { AuthorUrl = "https://ann.example/" }], asLabels: false, Now, Ct);

        var candidate = Assert.Single(await db.Store.ListUnscoredCommentsAsync(10, Ct));
        Assert.True(candidate.AuthorPreviouslyApproved);
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task AnAutomaticApprovalOfAHeldComment_StaysASuggestion_UnlessTheSourcePushesVerdicts(string provider)
    {
        foreach (var push in new[] { false, true })
        {
            var (db, source) = await ConnectedAsync(provider, pushVerdicts: push);
            await using var _ = db;
            await db.Store.SaveBlogCommentsAsync(source, [OnBlog(41, "hold")], asLabels: false, Now, Ct);
            var id = (await OnlyCommentAsync(db, source)).Id;

            await db.Store.ApplyVerdictsAsync([new VerdictWrite(id, CommentStatus.Approved, 0.01, "model", "scoring:test")], Now, Ct);

            var comment = await OnlyCommentAsync(db, source);
            Assert.Equal(push ? CommentStatus.Approved : CommentStatus.Pending, comment.Status);
            Assert.Equal(push ? "pending" : null, comment.Sync?.State);
            if (!push)
            {
                Assert.Contains("held on the blog: a moderator approves it", (await db.Store.ListEventsAsync(id, Ct))[^1].Reasons, StringComparison.Ordinal);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task ADecision_IsQueuedForTheBlog_OnlyWhereTheSourceIsConnected(string provider)
    {
        foreach (var connect in new[] { true, false })
        {
            var (db, source) = await ConnectedAsync(provider, connect: connect);
            await using var _ = db;
            await db.Store.SaveBlogCommentsAsync(source, [OnBlog(41, "hold")], asLabels: false, Now, Ct);
            var id = (await OnlyCommentAsync(db, source)).Id;

            Assert.True(await db.Store.RecordDecisionAsync(id, CommentStatus.Spam, "mod", null, Now, Ct));

            var due = await db.Store.ListDuePushesAsync(Now, 10, Ct);
            if (connect)
            {
                Assert.Equal(new BlogPush(id, source, 41, "spam", "hold", "mod", 0), Assert.Single(due));
            }
            else
            {
                Assert.Empty(due);
                Assert.Null((await OnlyCommentAsync(db, source)).Sync);
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task AConflict_LetsTheBlogsStateWin_WithAnEventByTheBlog(string provider)
    {
        var (db, source) = await ConnectedAsync(provider);
        await using var _ = db;
        await db.Store.SaveBlogCommentsAsync(source, [OnBlog(41, "hold")], asLabels: false, Now, Ct);
        var id = (await OnlyCommentAsync(db, source)).Id;
        await db.Store.RecordDecisionAsync(id, CommentStatus.Spam, "mod", null, Now, Ct);
        var push = Assert.Single(await db.Store.ListDuePushesAsync(Now, 10, Ct));

        await db.Store.RecordPushAsync(push, PushOutcome.Conflict, "changed on the blog to approved since it was read (hold)", "approved", null, Now, Ct);

        var comment = await OnlyCommentAsync(db, source);
        Assert.Equal((CommentStatus.Approved, "approved", "conflict"), (comment.Status, comment.BlogStatus, comment.Sync!.State));
        var last = (await db.Store.ListEventsAsync(id, Ct))[^1];
        Assert.Equal(("wordpress", CommentStatus.Spam, CommentStatus.Approved), (last.Actor, last.From, last.To));
        Assert.Equal("conflict", Assert.Single(await db.Store.ListPushesAsync(id, Ct)).Outcome);
        Assert.Empty(await db.Store.ListDuePushesAsync(Now.AddDays(1), 10, Ct));
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task APushOvertakenByANewerDecision_ChangesOnlyTheAudit(string provider)
    {
        var (db, source) = await ConnectedAsync(provider);
        await using var _ = db;
        await db.Store.SaveBlogCommentsAsync(source, [OnBlog(41, "hold")], asLabels: false, Now, Ct);
        var id = (await OnlyCommentAsync(db, source)).Id;
        await db.Store.RecordDecisionAsync(id, CommentStatus.Spam, "mod", null, Now, Ct);
        var first = Assert.Single(await db.Store.ListDuePushesAsync(Now, 10, Ct));
        await db.Store.RecordDecisionAsync(id, CommentStatus.Approved, "other", null, Now, Ct);

        await db.Store.RecordPushAsync(first, PushOutcome.Pushed, "WordPress answered: spam", null, null, Now, Ct);

        Assert.Equal(("pending", "approved"), ((await OnlyCommentAsync(db, source)).Sync!.State, (await OnlyCommentAsync(db, source)).Sync!.Wanted));
        Assert.Equal(new BlogPush(id, source, 41, "approved", "hold", "other", 0), Assert.Single(await db.Store.ListDuePushesAsync(Now, 10, Ct)));
        Assert.Single(await db.Store.ListPushesAsync(id, Ct));
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task TheBlogsHistory_BecomesLabels_AndSpamThereIsSpamHere(string provider)
    {
        var (db, source) = await ConnectedAsync(provider);
        await using var _ = db;
        // A comment already known publicly and approved by scoring, another new; and the blog's spam.
        await db.Store.UpsertCommentsAsync(source, [OnBlog(40, "approved") with { BlogStatus = null, AuthorEmail = null }], Now, Ct);
        var known = (await OnlyCommentAsync(db, source)).Id;
        await db.Store.ApplyVerdictsAsync([new VerdictWrite(known, CommentStatus.Approved, 0.02, "model", "scoring:test")], Now, Ct);

        await db.Store.SaveBlogCommentsAsync(source, [OnBlog(40, "approved"), OnBlog(42, "approved", "Good point."), OnBlog(43, "spam", "Cheap pills")], asLabels: true, Now, Ct);

        var labels = await db.Store.ListModeratorLabelsAsync(Ct);
        Assert.Equal([false, false, true], labels.OrderBy(l => l.CommentId).Select(l => l.Label.IsSpam));
        Assert.Equal(3, await db.Store.CountBlogLabelsAsync(Ct));
        var comments = await db.Store.ListCommentsAsync(Assert.Single(await db.Store.ListPostsAsync(source, Ct)).Id, Ct);
        Assert.Equal([CommentStatus.Approved, CommentStatus.Approved, CommentStatus.Spam], comments.OrderBy(c => c.WordPressId).Select(c => c.Status));
        // Nothing the blog decided is pushed back to it.
        Assert.Empty(await db.Store.ListDuePushesAsync(Now, 10, Ct));
    }
}
