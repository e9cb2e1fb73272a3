using AgleaFeeds.Storage;

namespace AgleaFeeds.Host;

/// <summary>
/// Applies the store's migrations before anything else of the host starts (it is the first hosted service): Data
/// Protection's key ring (in the store on PostgreSQL) and Hangfire's workers find the schema they use. A store that
/// cannot be reached or migrated stops the start with its reason.
/// </summary>
internal sealed class StoreMigrationService(IFeedStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
