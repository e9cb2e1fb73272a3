using AgleaFeeds.Scoring;
using AgleaFeeds.Storage;
using Hangfire;

namespace AgleaFeeds.Host.Endpoints;

/// <summary>
/// `/health`: the store, Hangfire and the spam model, each "ok" or what is wrong; 503 when any is not ok. It names
/// the host that answered (its Hangfire server name), for an operator with several hosts behind one address.
/// </summary>
internal static class HealthEndpoint
{
    public static void Map(WebApplication app) => app.MapGet("/health", async (IFeedStore store, JobStorage jobs, SpamModelProvider models, CancellationToken ct) =>
    {
        var checks = new Dictionary<string, string>
        {
            ["store"] = await CheckAsync(async () => await store.ListSourcesAsync(ct).ConfigureAwait(false)).ConfigureAwait(false),
            ["hangfire"] = await CheckAsync(() => Task.FromResult<object>(jobs.GetMonitoringApi().Servers())).ConfigureAwait(false),
            ["model"] = models.Error ?? $"ok ({models.Version})",
        };
        var healthy = checks.Values.All(v => v.StartsWith("ok", StringComparison.Ordinal));
        return Results.Json(new { status = healthy ? "ok" : "degraded", host = Polling.ThisHost.Name, checks }, statusCode: healthy ? 200 : 503);
    });

    private static async Task<string> CheckAsync(Func<Task<object>> probe)
    {
        try
        {
            await probe().ConfigureAwait(false);
            return "ok";
        }
#pragma warning disable CA1031 // A health check reports any failure of what it probes, as text, instead of failing itself.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return $"{ex.GetType().Name}: {ex.Message}";
        }
    }
}
