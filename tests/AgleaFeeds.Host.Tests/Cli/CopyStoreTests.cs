using AgleaFeeds.Host.Cli;
using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Model;
using AgleaFeeds.Moderation;
using AgleaFeeds.Storage;
using AgleaFeeds.Testing;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Tests.Cli;

/// <summary>Moving an installation from SQLite to PostgreSQL with copy-store loses nothing.</summary>
public sealed class CopyStoreTests
{
    private static readonly CancellationToken Ct = CancellationToken.None;

    [SkippableFact]
    public async Task CopyStore_FromAUsedSqliteInstallation_ToPostgreSql_KeepsEveryRecordDecisionAndSecret()
    {
        var (server, reason) = TestPostgres.Server();
        Skip.If(server is null, reason);
        await using var site = await FixtureSite.StartAsync();
        var data = TestPaths.NewTempFolder();
        string before, secret, version;
        long decided;
        var sqliteSettings = new Dictionary<string, string?> { ["Storage:Provider"] = "Sqlite", ["Scoring:CorpusPath"] = "/nonexistent", ["Scoring:MinLocalLabels"] = "40" };
        await using (var host = await RunningHost.StartAsync(data, sqliteSettings, site.PostsFeed))
        {
            await host.WaitUntilSampleJudgedAsync();
            var pending = (await host.CommentsAsync()).First(c => c.Status == CommentStatus.Pending);
            Assert.True(await host.Store.RecordDecisionAsync(pending.Id, CommentStatus.Spam, "mod", "copied?", DateTimeOffset.UtcNow, Ct));
            await host.Store.SetAuthorRuleAsync(AuthorRuleKind.Author, "Copied Author", AuthorRuleAction.Block, "mod", DateTimeOffset.UtcNow, Ct);
            decided = pending.Id;
            secret = host.App.Services.GetRequiredService<ISecretBox>().Protect("abcd efgh ijkl mnop");
            await host.WaitUntilQuietAsync();
            // A model retrained on the blog's decisions is in use (saved under data/models).
            var blog = await host.Store.AddSourceAsync(new SourceDefinition("Labelled blog", "http://127.0.0.1:9/feed/"), DateTimeOffset.UtcNow, Ct);
            await Scoring.ModelRetrainerTests.ModerateAsync(host.Store, blog, 40, 40, DateTimeOffset.UtcNow);
            var retrained = await host.App.Services.GetRequiredService<AgleaFeeds.Scoring.ModelRetrainer>().RetrainAsync(Ct);
            Assert.True(retrained.Promoted, retrained.Message);
            version = retrained.Version!;
        }

        // What the stopped installation holds.
        await using (var sqlite = new FeedStore(Options.Create(new StorageOptions { DataDirectory = data })))
        {
            before = await ExportAsync(sqlite);
        }

        var database = await TestPostgres.CreateDatabaseAsync(server!);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await CliApp.RunAsync(["copy-store", "--from", data, "--to", database], stdout, stderr);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        Assert.True(code == 0, stderr.ToString());
        Assert.Contains("copied: 2 sources, 5 posts, 101 comments", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("1 model_versions", stdout.ToString(), StringComparison.Ordinal);
        await using (var copy = new FeedStore(Options.Create(new StorageOptions { Provider = "PostgreSql", ConnectionString = database })))
        {
            // Every source, post and comment with its whole history, the same, ids and all; and the store goes on from there.
            Assert.Equal(before, await ExportAsync(copy));
            Assert.Equal("copied?", (await copy.ListEventsAsync(decided, Ct))[^1].Reasons);
            Assert.Contains(await copy.ListAuthorRulesAsync(Ct), r => r.Value == "Copied Author");
            await copy.SetAuthorRuleAsync(AuthorRuleKind.Author, "New After Copy", AuthorRuleAction.Trust, "mod", DateTimeOffset.UtcNow, Ct);
        }

        // A host on the copy reads the secret the SQLite installation encrypted (its key files joined the key ring).
        await using (var host = await RunningHost.StartAsync(TestPaths.NewTempFolder(), new Dictionary<string, string?> { ["Storage:Provider"] = "PostgreSql", ["Storage:ConnectionString"] = database }))
        {
            Assert.Equal("abcd efgh ijkl mnop", host.App.Services.GetRequiredService<ISecretBox>().Unprotect(secret));
            // ... and scores with the retrained model the SQLite installation was using.
            Assert.Equal(version, host.App.Services.GetRequiredService<AgleaFeeds.Scoring.SpamModelProvider>().Version);
        }

        // Copying into a store that is no longer empty is refused, changing nothing.
        using var again = new StringWriter();
        Assert.Equal(1, await CliApp.RunAsync(["copy-store", "--from", data, "--to", database], new StringWriter(), again));
        Assert.Contains("the target store is not empty", again.ToString(), StringComparison.Ordinal);
        await TestPostgres.DropDatabaseAsync(database);
    }

    private static async Task<string> ExportAsync(IFeedStore store)
    {
        using var text = new StringWriter();
        await ExportCommand.WriteAsync(store, text, Ct);
        return text.ToString();
    }
}
