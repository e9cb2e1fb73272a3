using AgleaFeeds.Host.Tests.Fixtures;
using AgleaFeeds.Moderation;
using AgleaFeeds.Testing;

namespace AgleaFeeds.Host.Tests.Hosting;

/// <summary>Hosts on one PostgreSQL: what a second host must see lives in the database, not in a host's folder.</summary>
public sealed class PostgresHostsTests
{
    [SkippableFact]
    public async Task TwoHostsOnOneDatabase_ShareTheKeyRing_ASecretEncryptedOnOneIsReadOnTheOther()
    {
        var (server, reason) = TestPostgres.Server();
        Skip.If(server is null, reason);
        var database = await TestPostgres.CreateDatabaseAsync(server!);
        var settings = new Dictionary<string, string?> { ["Storage:Provider"] = "PostgreSql", ["Storage:ConnectionString"] = database };
        string secret;
        var first = TestPaths.NewTempFolder();
        await using (var a = await RunningHost.StartAsync(first, settings))
        {
            secret = a.App.Services.GetRequiredService<ISecretBox>().Protect("abcd efgh ijkl mnop qrst uvwx");
        }

        var second = TestPaths.NewTempFolder();
        await using var b = await RunningHost.StartAsync(second, settings);

        Assert.Equal("abcd efgh ijkl mnop qrst uvwx", b.App.Services.GetRequiredService<ISecretBox>().Unprotect(secret));
        // The keys are in the database, not beside either host's data.
        Assert.Empty(Directory.Exists(Path.Combine(first, "keys")) ? Directory.GetFiles(Path.Combine(first, "keys")) : []);
        Assert.Empty(Directory.Exists(Path.Combine(second, "keys")) ? Directory.GetFiles(Path.Combine(second, "keys")) : []);
        await TestPostgres.DropDatabaseAsync(database);
    }
}
