using AgleaFeeds.Fetching;
using AgleaFeeds.Polling;
using AgleaFeeds.Scraping;
using AgleaFeeds.Sources;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AgleaFeeds;

/// <summary>Registers the pipeline: options bound and validated, fetcher, store, refresher.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>Adds every pipeline service, each stage's options bound from its configuration section.</summary>
    public static IServiceCollection AddAgleaFeedsPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FetchingOptions>().Bind(configuration.GetSection(FetchingOptions.Section))
            .PostConfigure(o =>
            {
                if (configuration["Urls"] is { Length: > 0 } urls)
                {
                    o.SelfUrls.Add(urls);
                }
            })
            .ValidateDataAnnotations()
            .Validate(o => o.AllowedNetworks.All(n => ListenUrls.TryParseRange(n, out _)), "Fetching:AllowedNetworks: every entry must be an address or a CIDR range such as 10.0.0.0/8 or 127.0.0.1/32.")
            .ValidateOnStart();
        services.AddSingleton<NetworkPolicy>();
        services.AddSingleton(new SelfOrigin(configuration["Urls"]));
        services.AddOptions<PollingOptions>().Bind(configuration.GetSection(PollingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ScrapingOptions>().Bind(configuration.GetSection(ScrapingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AgleaFeeds.Scoring.ScoringOptions>().Bind(configuration.GetSection(AgleaFeeds.Scoring.ScoringOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.HamThreshold < o.SpamThreshold, "Scoring:HamThreshold must be below Scoring:SpamThreshold (a comment scoring between them waits for a person).")
            .ValidateOnStart();
        services.AddOptions<AgleaFeeds.Publishing.PublishingOptions>().Bind(configuration.GetSection(AgleaFeeds.Publishing.PublishingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        // Without the factory's request loggers (a scope and two handlers per request): every fetch's outcome is recorded on its source.
        services.AddHttpClient(FeedFetcher.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => FeedFetcher.CreateHandler(sp.GetRequiredService<NetworkPolicy>()))
            .RemoveAllLoggers();
        // Built here rather than as a typed client: the typed-client factory compiles an expression tree for the
        // constructor, which loaded System.Linq.Expressions (2.5 MB resident in every poll-once) for this one call.
        services.AddTransient(sp => new FeedFetcher(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(FeedFetcher.HttpClientName), sp.GetRequiredService<IOptions<FetchingOptions>>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IFeedStore, FeedStore>();
        services.AddSingleton<AgleaFeeds.Observability.PipelineMetrics>();
        services.AddTransient<WordPressApi>();
        services.AddTransient<SourceRefresher>();
        services.AddTransient<PollBatchRunner>();
        services.AddSingleton<PollAdmission>();
        services.AddTransient<SourceImporter>();
        services.AddTransient<FeedDiscovery>();
        services.AddSingleton<HostThrottle>();
        services.AddTransient<PostScraper>();
        services.AddSingleton<AgleaFeeds.Scoring.SpamModelProvider>();
        services.AddSingleton<AgleaFeeds.Scoring.BlogModelProvider>();
        services.AddTransient<AgleaFeeds.Scoring.CommentScorer>();
        services.AddTransient<AgleaFeeds.Scoring.ModelRetrainer>();
        services.AddSingleton<AgleaFeeds.Publishing.ContentSanitizer>();
        services.AddTransient<AgleaFeeds.Publishing.CuratedFeedBuilder>();
        services.AddSingleton<AgleaFeeds.Publishing.FeedRenderer>();
        services.AddSingleton<AgleaFeeds.Publishing.PublishedFeeds>();
        services.AddTransient<AgleaFeeds.Moderation.ModerationService>();
        services.AddOptions<AgleaFeeds.Moderation.BlogModerationOptions>().Bind(configuration.GetSection(AgleaFeeds.Moderation.BlogModerationOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.PushRetryDelays.All(d => d > TimeSpan.Zero), "WordPress:PushRetryDelays: every wait must be longer than zero.")
            .ValidateOnStart();
        services.AddSingleton<IBlogSyncStore>(sp => (FeedStore)sp.GetRequiredService<IFeedStore>());
        services.AddSingleton<ISharedStateStore>(sp => (FeedStore)sp.GetRequiredService<IFeedStore>());
        services.AddTransient<AgleaFeeds.Moderation.WordPressModerationApi>();
        services.AddTransient<AgleaFeeds.Moderation.BlogModeration>();
        services.AddHttpClient<AgleaFeeds.Publishing.FeedPublisher>(c => c.DefaultRequestHeaders.UserAgent.ParseAdd(FeedFetcher.DefaultUserAgent.Split(' ')[0]));
        return services;
    }
}
