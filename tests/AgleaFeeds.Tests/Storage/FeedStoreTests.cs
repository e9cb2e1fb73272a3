using AgleaFeeds.Model;
using AgleaFeeds.Storage;
using Microsoft.Data.Sqlite;

namespace AgleaFeeds.Tests.Storage;

public class FeedStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static PostUpsert Post(string key, string title = "T", int? comments = 0) => new()
    {
        Key = key,
        Guid = key,
        Link = $"https://blog.example/{key}/",
        Title = title,
        ContentHtml = $"<p>{title}</p>",
        FeedCommentCount = comments,
    };

    private static CommentUpsert Comment(string postKey, long id, string text = "hi") => new()
    {
        PostGuid = postKey,
        PostLink = $"https://blog.example/{postKey}/",
        Key = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        WordPressId = id,
        Link = $"https://blog.example/{postKey}/#comment-{id}",
        Author = "Ann",
        ContentHtml = $"<p>{text}</p>",
        SeenIn = "comments-feed",
    };

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task MigrateAsync_Twice_AppliesEachMigrationOnceInWalMode(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        await db.Store.MigrateAsync(Ct);

        await using var connection = await db.Store.Database.OpenAsync(Ct);
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM schema_migrations";
        var available = provider == "Sqlite" ? SqliteMigrations.Available.Count : PostgresMigrations.Available.Count;
        Assert.Equal((long)available, Convert.ToInt64(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        if (provider == "Sqlite")
        {
            Assert.True(SqliteMigrations.Available.Count >= 2);
            using var mode = connection.CreateCommand();
            mode.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", await mode.ExecuteScalarAsync());
            // Checkpoints every 32 MB of WAL, not SQLite's 4 MB: a first sync's storing spends its time there otherwise.
            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_autocheckpoint";
            Assert.Equal(8192L, await checkpoint.ExecuteScalarAsync());
        }
    }

    [Fact]
    public async Task SqliteConnections_NewAndFromThePool_HaveForeignKeysAndTheCheckpointSetting()
    {
        // The settings are sent once per database handle: two handles open at once, then both again from the pool.
        await using var db = await TempDatabase.CreateAsync("Sqlite");
        for (var round = 1; round <= 2; round++)
        {
            await using var first = await db.Store.Database.OpenAsync(Ct);
            await using var second = await db.Store.Database.OpenAsync(Ct);
            foreach (var connection in new[] { first, second })
            {
                using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_autocheckpoint";
                Assert.Equal(8192L, await checkpoint.ExecuteScalarAsync());
                using var orphan = connection.CreateCommand();
                orphan.CommandText = "INSERT INTO posts (source_id, key, title, content_hash, first_seen_at, last_seen_at, changed_at) VALUES (999999, 'k', 't', '', 0, 0, 0)";
                Assert.Equal(787, Assert.Throws<SqliteException>(() => orphan.ExecuteNonQuery()).SqliteExtendedErrorCode); // SQLITE_CONSTRAINT_FOREIGNKEY
            }
        }
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task GetPollStartAsync_AcrossPolls_ReadsTheSourceItsValidatorsAndTheRecheckSliceAsStoredNow(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var id = await db.Store.AddSourceAsync(new SourceDefinition("Blog", "https://blog.example/feed/"), Now, Ct);
        Assert.Null(await db.Store.GetPollStartAsync(id + 1000, 5, Ct));

        var first = await db.Store.GetPollStartAsync(id, 5, Ct);
        Assert.NotNull(first);
        Assert.Equal(("Blog", "https://blog.example/feed/"), (first.Source.Title, first.Source.FeedUrl));
        Assert.Empty(first.Validators);
        Assert.Empty(first.Recheck); // not before the first full read

        SourcePollState State(PollWriteResult _) => new() { SourceId = id, PolledAt = Now, NextPollAt = Now.AddHours(1), Succeeded = true, ETag = "\"posts-1\"", Backfilled = true };
        await db.Store.SavePollAsync(
            new PollWrite(id, Now, [Post("a"), Post("b"), Post("c")], [], [("https://blog.example/comments/feed/", new HttpValidators("\"c-1\"", null))]), State, Ct);
        var second = await db.Store.GetPollStartAsync(id, 2, Ct);
        await db.Store.SavePollAsync(
            new PollWrite(id, Now.AddHours(1), [], [], [("https://blog.example/comments/feed/", new HttpValidators("\"c-2\"", null)), ("https://blog.example/a/feed/", new HttpValidators(null, "Mon, 30 Nov 2026 10:00:00 GMT"))]), State, Ct);
        var third = await db.Store.GetPollStartAsync(id, 5, Ct);

        var posts = (await db.Store.ListPostsAsync(id, Ct)).Select(p => p.Id).Order().ToList();
        Assert.Equal("\"posts-1\"", second!.Source.ETag);
        Assert.Equal("\"c-1\"", second.Validators["https://blog.example/comments/feed/"].ETag);
        Assert.Equal(posts.Take(2), second.Recheck);
        // The next read sees the next poll's writes (a kept connection holds no old snapshot).
        Assert.Equal(2, third!.Validators.Count);
        Assert.Equal("\"c-2\"", third.Validators["https://blog.example/comments/feed/"].ETag);
        Assert.Equal("Mon, 30 Nov 2026 10:00:00 GMT", third.Validators["https://blog.example/a/feed/"].LastModified);
        Assert.Equal(posts, third.Recheck);
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task GetPollStartsAsync_ABatchOfSources_ReadsWhatEachSourcesOwnReadDoes(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var ids = await db.Store.AddSourcesAsync(
            [new SourceDefinition("One", "https://one.example/feed/"), new SourceDefinition("Two", "https://two.example/feed/"), new SourceDefinition("Three", "https://three.example/feed/")], Now, Ct);
        // One read fully with posts to check again and two feeds' validators, one polled once, one never.
        await db.Store.SavePollAsync(
            new PollWrite(ids[0], Now, [Post("a"), Post("b"), Post("c")], [], [("https://one.example/comments/feed/", new HttpValidators("\"c-1\"", null)), ("https://one.example/a/feed/", new HttpValidators(null, "Mon, 30 Nov 2026 10:00:00 GMT"))]),
            _ => new SourcePollState { SourceId = ids[0], PolledAt = Now, NextPollAt = Now.AddHours(1), Succeeded = true, ETag = "\"one\"", Backfilled = true }, Ct);
        await db.Store.SavePollAsync(
            new PollWrite(ids[1], Now, [Post("x")], [], [("https://two.example/comments/feed/", new HttpValidators("\"t-1\"", null))]),
            _ => new SourcePollState { SourceId = ids[1], PolledAt = Now, NextPollAt = Now.AddHours(1), Succeeded = true, LastModified = "Tue, 01 Dec 2026 08:00:00 GMT" }, Ct);

        var starts = await db.Store.GetPollStartsAsync([.. ids, ids[2] + 1000], 2, Ct);

        Assert.Equal(ids.Order(), starts.Keys.Order()); // a source that does not exist is not in it
        foreach (var id in ids)
        {
            var alone = await db.Store.GetPollStartAsync(id, 2, Ct);
            var start = starts[id];
            Assert.Equal((alone!.Source.Title, alone.Source.FeedUrl, alone.Source.ETag, alone.Source.LastModified, alone.Source.BackfilledAt), (start.Source.Title, start.Source.FeedUrl, start.Source.ETag, start.Source.LastModified, start.Source.BackfilledAt));
            Assert.Equal(alone.Validators.OrderBy(v => v.Key), start.Validators.OrderBy(v => v.Key));
            Assert.Equal(alone.Recheck, start.Recheck);
        }

        Assert.Equal("\"one\"", starts[ids[0]].Source.ETag);
        Assert.Equal(2, starts[ids[0]].Validators.Count);
        Assert.Equal((await db.Store.ListPostsAsync(ids[0], Ct)).Select(p => p.Id).Order().Take(2), starts[ids[0]].Recheck);
        Assert.Equal("\"t-1\"", starts[ids[1]].Validators["https://two.example/comments/feed/"].ETag);
        Assert.Empty(starts[ids[1]].Recheck); // not before the first full read
        Assert.Empty(starts[ids[2]].Validators);
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task AddSourceAsync_SameFeedUrlTwice_KeepsOneSource(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var a = await db.Store.AddSourceAsync(new SourceDefinition("Blog", "https://blog.example/feed/"), Now, Ct);
        var b = await db.Store.AddSourceAsync(new SourceDefinition("Blog again", "https://blog.example/feed/"), Now, Ct);

        Assert.Equal(a, b);
        var source = Assert.Single(await db.Store.ListSourcesAsync(Ct));
        Assert.Equal("Blog", source.Title);
        Assert.Equal(TimeSpan.Zero, source.PollInterval); // follows Polling:DefaultInterval
        Assert.Equal(Now, source.NextPollAt);
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task AddSourcesAsync_ImportWithKnownAndNewFeeds_AddsTheNewOnesAndReturnsEveryIdInOrder(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var known = await db.Store.AddSourceAsync(new SourceDefinition("Known", "https://known.example/feed/"), Now, Ct);

        var ids = await db.Store.AddSourcesAsync(
            [new SourceDefinition("First", "https://first.example/feed/"), new SourceDefinition("Known renamed", "https://known.example/feed/"),
             new SourceDefinition("Hourly", "https://hourly.example/feed/", PollInterval: TimeSpan.FromHours(1))], Now, Ct);

        Assert.Equal(3, ids.Count);
        Assert.Equal(known, ids[1]);
        var sources = (await db.Store.ListSourcesAsync(Ct)).ToDictionary(s => s.Id);
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal(3, sources.Count);
        Assert.Equal(["First", "Known", "Hourly"], ids.Select(id => sources[id].Title));
        Assert.Equal(TimeSpan.FromHours(1), sources[ids[2]].PollInterval);
        Assert.Equal(ids.Order(), await db.Store.ListSourceIdsAsync(Ct));

        // Imported again: the same ids, nothing added; an interval the file now states is taken, one it omits kept.
        var again = await db.Store.AddSourcesAsync(
            [new SourceDefinition("First", "https://first.example/feed/", PollInterval: TimeSpan.FromMinutes(30)), new SourceDefinition("Hourly", "https://hourly.example/feed/")], Now, Ct);
        Assert.Equal([ids[0], ids[2]], again);
        sources = (await db.Store.ListSourcesAsync(Ct)).ToDictionary(s => s.Id);
        Assert.Equal(3, sources.Count);
        Assert.Equal((TimeSpan.FromMinutes(30), TimeSpan.FromHours(1)), (sources[ids[0]].PollInterval, sources[ids[2]].PollInterval));
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task UpsertPostsAsync_SamePostsTwice_StoresOnceAndReportsNoChange(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var source = await db.Store.AddSourceAsync(new SourceDefinition("Blog", "https://blog.example/feed/"), Now, Ct);

        var first = await db.Store.UpsertPostsAsync(source, [Post("a"), Post("b")], Now, Ct);
        var second = await db.Store.UpsertPostsAsync(source, [Post("a"), Post("b")], Now.AddMinutes(15), Ct);

        Assert.All(first, c => Assert.True(c.IsNew));
        Assert.All(second, c => Assert.False(c.IsNew || c.ContentChanged || c.CommentCountChanged));
        Assert.Equal(2, (await db.Store.ListPostsAsync(source, Ct)).Count);
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task UpsertPostsAsync_ChangedContentAndCount_ReportsBothAndUpdates(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var source = await db.Store.AddSourceAsync(new SourceDefinition("Blog", "https://blog.example/feed/"), Now, Ct);
        await db.Store.UpsertPostsAsync(source, [Post("a", "Old", 1), Post("b", "Same", 2)], Now, Ct);

        var changes = await db.Store.UpsertPostsAsync(source, [Post("a", "New", 1), Post("b", "Same", 3)], Now, Ct);

        Assert.True(changes[0].ContentChanged);
        Assert.False(changes[0].CommentCountChanged);
        Assert.False(changes[1].ContentChanged);
        Assert.True(changes[1].CommentCountChanged);
        var posts = await db.Store.ListPostsAsync(source, Ct);
        Assert.Contains(posts, p => p.Title == "New");
        Assert.Contains(posts, p => p.FeedCommentCount == 3);
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task UpsertCommentsAsync_SameCommentFromTwoFeeds_IsOneRecordWithOneCreationEvent(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var source = await db.Store.AddSourceAsync(new SourceDefinition("Blog", "https://blog.example/feed/"), Now, Ct);
        await db.Store.UpsertPostsAsync(source, [Post("a")], Now, Ct);

        var first = await db.Store.UpsertCommentsAsync(source, [Comment("a", 7), Comment("a", 8)], Now, Ct);
        var again = await db.Store.UpsertCommentsAsync(source, [Comment("a", 7, "edited") with { SeenIn = "post-feed" }], Now, Ct);

        Assert.Equal(2, first);
        Assert.Equal(0, again);
        var post = Assert.Single(await db.Store.ListPostsAsync(source, Ct));
        var comments = await db.Store.ListCommentsAsync(post.Id, Ct);
        Assert.Equal(2, comments.Count);
        var seven = comments.Single(c => c.WordPressId == 7);
        Assert.Equal("<p>edited</p>", seven.ContentHtml);
        Assert.Equal("comments-feed", seven.SeenIn);
        Assert.Equal(CommentStatus.Pending, seven.Status);
        var history = Assert.Single(await db.Store.ListEventsAsync(seven.Id, Ct));
        Assert.Null(history.From);
        Assert.Equal(CommentStatus.Pending, history.To);
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task UpsertCommentsAsync_UnknownPost_KeepsTheCommentOnAStubPost(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var source = await db.Store.AddSourceAsync(new SourceDefinition("Blog", "https://blog.example/feed/"), Now, Ct);

        await db.Store.UpsertCommentsAsync(source, [Comment("old", 3) with { PostTitle = "An old post" }], Now, Ct);
        await db.Store.UpsertPostsAsync(source, [Post("old", "An old post")], Now, Ct);

        var post = Assert.Single(await db.Store.ListPostsAsync(source, Ct));
        Assert.Equal("<p>An old post</p>", post.ContentHtml);
        Assert.Single(await db.Store.ListCommentsAsync(post.Id, Ct));
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task ClaimDueSourcesAsync_ClaimedSource_IsNotClaimedAgainUntilReleasedOrLeaseEnds(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var due = await db.Store.AddSourceAsync(new SourceDefinition("Due", "https://due.example/feed/"), Now.AddMinutes(-1), Ct);
        await db.Store.AddSourceAsync(new SourceDefinition("Later", "https://later.example/feed/"), Now.AddMinutes(5), Ct);

        var first = await db.Store.ClaimDueSourcesAsync(Now, 10, TimeSpan.FromMinutes(10), "test", Ct);
        var second = await db.Store.ClaimDueSourcesAsync(Now.AddMinutes(1), 10, TimeSpan.FromMinutes(10), "test", Ct);
        var afterLease = await db.Store.ClaimDueSourcesAsync(Now.AddMinutes(11), 10, TimeSpan.FromMinutes(10), "test", Ct);

        Assert.Equal([due], first);
        Assert.Empty(second);
        Assert.Equal(2, afterLease.Count);
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task ClaimDueSourcesAsync_ConcurrentClaimers_NeverShareASource(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        for (var i = 0; i < 200; i++)
        {
            await db.Store.AddSourceAsync(new SourceDefinition($"S{i}", $"https://s{i}.example/feed/"), Now.AddMinutes(-1), Ct);
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => db.Store.ClaimDueSourcesAsync(Now, 30, TimeSpan.FromMinutes(10), "test", Ct))));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(200, all.Count);
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task ClaimSourcesAsync_LeasedSource_IsSkippedOthersAreClaimedWhetherDueOrNot(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var leased = await db.Store.AddSourceAsync(new SourceDefinition("Leased", "https://a.example/feed/"), Now, Ct);
        var later = await db.Store.AddSourceAsync(new SourceDefinition("Later", "https://b.example/feed/"), Now.AddHours(1), Ct);
        await db.Store.ClaimDueSourcesAsync(Now, 10, TimeSpan.FromMinutes(10), "test", Ct);

        var claimed = await db.Store.ClaimSourcesAsync([leased, later], Now.AddMinutes(1), TimeSpan.FromMinutes(10), "test", Ct);

        Assert.Equal([later], claimed);
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task RenewLeasesAsync_AfterTheLeaseRanOutAndAnotherHostClaimed_HoldsNothingSoTheOldBatchPollsNothing(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var a = await db.Store.AddSourceAsync(new SourceDefinition("A", "https://a.example/feed/"), Now, Ct);
        var b = await db.Store.AddSourceAsync(new SourceDefinition("B", "https://b.example/feed/"), Now, Ct);
        Assert.Equal([a, b], await db.Store.ClaimDueSourcesAsync(Now, 10, TimeSpan.FromMinutes(1), "dead-host/1", Ct));

        // The claiming host was killed; its lease ran out and a live host took source A (B is still free).
        Assert.Equal([a], await db.Store.ClaimSourcesAsync([a], Now.AddMinutes(2), TimeSpan.FromMinutes(1), "live-host/1", Ct));
        // The dead host's batch job, run again later, takes over only what its claim still holds.
        var taken = await db.Store.RenewLeasesAsync([a, b], Now.AddMinutes(3), "dead-host/1", Ct, newOwner: "live-host/2");
        var renewedByLive = await db.Store.RenewLeasesAsync([a], Now.AddMinutes(3), "live-host/1", Ct);

        Assert.Equal([b], taken);
        Assert.Equal([a], renewedByLive);
        // Released by a worker that does not hold it: still leased.
        await db.Store.ReleaseLeasesAsync([a], "dead-host/1", Ct);
        Assert.Empty(await db.Store.ClaimSourcesAsync([a], Now.AddMinutes(2), TimeSpan.FromMinutes(1), "third/1", Ct));
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task ClaimScrapeAsync_PostBeingScraped_IsNotClaimedByAnotherWorkerUntilReleasedOrTheLeaseEnds(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var source = await db.Store.AddSourceAsync(new SourceDefinition("Blog", "https://blog.example/feed/"), Now, Ct);
        var post = (await db.Store.UpsertPostsAsync(source, [Post("p1")], Now, Ct))[0].PostId;

        var claims = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => db.Store.ClaimScrapeAsync(post, $"host-{i}/1", Now, Now.AddMinutes(10), Ct))));
        var winner = $"host-{Array.IndexOf(claims, true)}/1";
        await db.Store.ReleaseScrapeAsync(post, "not-the-owner/1", Ct);
        var whileHeld = await db.Store.ClaimScrapeAsync(post, "late/1", Now.AddMinutes(5), Now.AddMinutes(15), Ct);
        var afterLease = await db.Store.ClaimScrapeAsync(post, "late/2", Now.AddMinutes(11), Now.AddMinutes(21), Ct);
        await db.Store.ReleaseScrapeAsync(post, "late/2", Ct);

        Assert.Single(claims, true);
        Assert.StartsWith("host-", winner, StringComparison.Ordinal);
        Assert.False(whileHeld);
        Assert.True(afterLease);
        Assert.True(await db.Store.ClaimScrapeAsync(post, "next/1", Now.AddMinutes(12), Now.AddMinutes(22), Ct));
        Assert.False(await db.Store.ClaimScrapeAsync(99_999, "any/1", Now, Now.AddMinutes(10), Ct));
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task AddSourceAsync_SameFeedAddedByManyHostsAtOnce_IsOneSource(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);

        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => db.Store.AddSourceAsync(new SourceDefinition("Blog", "https://blog.example/feed/"), Now, Ct))));

        Assert.Single(ids.Distinct());
        Assert.Single(await db.Store.ListSourcesAsync(Ct));
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task SavePollStateAsync_Failure_KeepsValidatorsAndReleasesTheLease(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var id = await db.Store.AddSourceAsync(new SourceDefinition("Blog", "https://blog.example/feed/"), Now, Ct);
        await db.Store.SavePollStateAsync(new SourcePollState { SourceId = id, PolledAt = Now, NextPollAt = Now.AddMinutes(15), Succeeded = true, ETag = "\"v1\"", LastModified = "Fri, 14 Mar 2025 09:30:00 GMT" }, Ct);
        await db.Store.ClaimDueSourcesAsync(Now.AddMinutes(15), 10, TimeSpan.FromHours(1), "test", Ct);

        await db.Store.SavePollStateAsync(new SourcePollState { SourceId = id, PolledAt = Now.AddMinutes(15), NextPollAt = Now.AddMinutes(30), ErrorCount = 1, Error = "Fetching: HTTP 500" }, Ct);

        var source = (await db.Store.GetSourceAsync(id, Ct))!;
        Assert.Equal("\"v1\"", source.ETag);
        Assert.Equal(1, source.ErrorCount);
        Assert.Equal("Fetching: HTTP 500", source.LastError);
        Assert.Equal(Now, source.LastSuccessAt);
        Assert.Equal([id], await db.Store.ClaimDueSourcesAsync(Now.AddMinutes(30), 10, TimeSpan.FromHours(1), "test", Ct));
    }

    private static async Task<(long Source, long Comment)> JudgedCommentAsync(TempDatabase db, string text, CommentStatus verdict)
    {
        var source = await db.Store.AddSourceAsync(new SourceDefinition("Blog", "https://blog.example/feed/"), Now, Ct);
        await db.Store.UpsertPostsAsync(source, [Post("p1")], Now, Ct);
        await db.Store.UpsertCommentsAsync(source, [Comment("p1", 7, text) with { ContentText = text }], Now, Ct);
        var id = Assert.Single(await db.Store.ListUnscoredCommentsAsync(10, Ct)).CommentId;
        await db.Store.ApplyVerdictsAsync([new VerdictWrite(id, verdict, 0.99, "model", "scoring:v1")], Now, Ct);
        return (source, id);
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task UpsertCommentsAsync_ApiTextDiffersFromTheFeedsCopy_ReplacesItAndScoresAgain(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var (source, id) = await JudgedCommentAsync(db, "In reply to Kim. Thanks", CommentStatus.Spam);

        await db.Store.UpsertCommentsAsync(source, [Comment("p1", 7, "Thanks") with { ContentText = "Thanks", ContentRank = ContentRanks.Api, SeenIn = "api" }], Now.AddMinutes(1), Ct);

        var comment = (await db.Store.GetCommentAsync(id, Ct))!;
        Assert.Equal("<p>Thanks</p>", comment.ContentHtml);
        Assert.Equal(CommentStatus.Pending, comment.Status);
        Assert.Equal(id, Assert.Single(await db.Store.ListUnscoredCommentsAsync(10, Ct)).CommentId);
        Assert.Null(comment.EditedAt);
        await db.Store.ApplyVerdictsAsync([new VerdictWrite(id, CommentStatus.Approved, 0.01, "model", "scoring:v1")], Now.AddMinutes(2), Ct);
        Assert.Equal(CommentStatus.Approved, (await db.Store.GetCommentAsync(id, Ct))!.Status);
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task UpsertCommentsAsync_FeedCopyAfterTheApis_NeverReplacesIt(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var (source, id) = await JudgedCommentAsync(db, "Thanks", CommentStatus.Approved);
        await db.Store.UpsertCommentsAsync(source, [Comment("p1", 7, "Thanks, from the API") with { ContentText = "Thanks, from the API", ContentRank = ContentRanks.Api }], Now.AddMinutes(1), Ct);
        await db.Store.ApplyVerdictsAsync([new VerdictWrite(id, CommentStatus.Approved, 0.01, "model", "scoring:v1")], Now.AddMinutes(1), Ct);

        await db.Store.UpsertCommentsAsync(source, [Comment("p1", 7, "Thanks") with { ContentText = "Thanks" }], Now.AddMinutes(2), Ct);

        var comment = (await db.Store.GetCommentAsync(id, Ct))!;
        Assert.Equal("<p>Thanks, from the API</p>", comment.ContentHtml);
        Assert.Equal(CommentStatus.Approved, comment.Status);
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task UpsertCommentsAsync_EditedOnTheBlogAfterAModeratorsDecision_KeepsTheDecisionAndDatesTheEdit(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var (source, id) = await JudgedCommentAsync(db, "Thanks", CommentStatus.Pending);
        await db.Store.RecordDecisionAsync(id, CommentStatus.Approved, "mod", null, Now, Ct);

        await db.Store.UpsertCommentsAsync(source, [Comment("p1", 7, "Thanks, edited") with { ContentText = "Thanks, edited" }], Now.AddHours(1), Ct);

        var comment = (await db.Store.GetCommentAsync(id, Ct))!;
        Assert.Equal(CommentStatus.Approved, comment.Status);
        Assert.Equal(Now.AddHours(1), comment.EditedAt);
        Assert.Equal(Now.AddHours(1), await db.Store.GetLastChangeAsync(null, posts: false, comments: true, Ct));
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task SavePollAsync_PublishedIdsWithoutAComment_MarksItRemovedAndItsReturnBringsItBack(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var (source, id) = await JudgedCommentAsync(db, "Thanks", CommentStatus.Approved);
        SourcePollState State(PollWriteResult _) => new() { SourceId = source, PolledAt = Now, NextPollAt = Now.AddHours(1), Succeeded = true };

        var removed = await db.Store.SavePollAsync(new PollWrite(source, Now.AddMinutes(1), [], [], []) { PublishedCommentIds = new HashSet<long> { 8 } }, State, Ct);
        var gone = (await db.Store.GetCommentAsync(id, Ct))!;
        var back = await db.Store.SavePollAsync(new PollWrite(source, Now.AddMinutes(2), [], [Comment("p1", 7, "Thanks") with { ContentRank = ContentRanks.Api }], []) { PublishedCommentIds = new HashSet<long> { 7 } }, State, Ct);

        Assert.Equal(1, removed.Removed);
        Assert.Equal(Now.AddMinutes(1), gone.RemovedAt);
        Assert.Equal(1, back.Restored);
        Assert.Null((await db.Store.GetCommentAsync(id, Ct))!.RemovedAt);
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task UpsertCommentsAsync_PageShowsOtherWordsThanTheApisCopy_IsAnEditSameWordsChangeNothing(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);
        var (source, id) = await JudgedCommentAsync(db, "Thanks", CommentStatus.Approved);
        await db.Store.UpsertCommentsAsync(source, [Comment("p1", 7, "Thanks") with { ContentText = "Thanks", ContentRank = ContentRanks.Api }], Now.AddMinutes(1), Ct);

        await db.Store.UpsertCommentsAsync(source, [Comment("p1", 7, "Thanks") with { ContentHtml = "<div><p>Thanks</p></div>", ContentText = "Thanks", ContentRank = ContentRanks.Page }], Now.AddMinutes(2), Ct);
        var same = (await db.Store.GetCommentAsync(id, Ct))!;
        await db.Store.UpsertCommentsAsync(source, [Comment("p1", 7, "Thanks, and edited") with { ContentText = "Thanks, and edited", ContentRank = ContentRanks.Page }], Now.AddMinutes(3), Ct);
        var edited = (await db.Store.GetCommentAsync(id, Ct))!;

        Assert.Equal("<p>Thanks</p>", same.ContentHtml);
        Assert.Null(same.EditedAt);
        Assert.Equal("<p>Thanks, and edited</p>", edited.ContentHtml);
        Assert.Equal(Now.AddMinutes(3), edited.EditedAt);
        Assert.Equal(CommentStatus.Pending, edited.Status);
    }

    [SkippableTheory]
    [MemberData(nameof(StoreProviders.All), MemberType = typeof(StoreProviders))]
    public async Task SetAuthorRuleAsync_SameValueInOtherCase_ReplacesTheEntry(string provider)
    {
        await using var db = await TempDatabase.CreateAsync(provider);

        await db.Store.SetAuthorRuleAsync(AuthorRuleKind.Author, "Spam King", AuthorRuleAction.Trust, "mod", Now, Ct);
        await db.Store.SetAuthorRuleAsync(AuthorRuleKind.Author, "spam king", AuthorRuleAction.Block, "other", Now, Ct);
        await db.Store.SetAuthorRuleAsync(AuthorRuleKind.UrlDomain, "spam-king.example", AuthorRuleAction.Trust, "mod", Now, Ct);

        var rules = await db.Store.ListAuthorRulesAsync(Ct);
        Assert.Equal(2, rules.Count);
        var author = Assert.Single(rules, r => r.Kind == AuthorRuleKind.Author);
        Assert.Equal((AuthorRuleAction.Block, "other"), (author.Action, author.CreatedBy));
    }
}
