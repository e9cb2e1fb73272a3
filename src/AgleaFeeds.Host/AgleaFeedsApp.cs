using AgleaFeeds.Host.Cli;
using AgleaFeeds.Host.Dashboard;
using AgleaFeeds.Host.Jobs;
using AgleaFeeds.Sources;
using AgleaFeeds.Storage;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.Storage.SQLite;
using Hangfire.PostgreSql;
using AgleaFeeds.Fetching;
using AgleaFeeds.Host.Security;
using Prometheus;
using Microsoft.Extensions.Options;
using Microsoft.AspNetCore.DataProtection;

namespace AgleaFeeds.Host;

/// <summary>The entry point: command-line verbs, or the web host with Hangfire server and dashboard.</summary>
public static partial class AgleaFeedsApp
{
    /// <summary>
    /// Options are read once at start: reloading appsettings.json on change would make .NET watch the
    /// whole working directory recursively (data/, feeds/), which costs more than it gives.
    /// </summary>
    internal const string NoConfigReload = "--hostBuilder:reloadConfigOnChange=false";

    /// <summary>Runs a verb (see --help) or, without one, the service.</summary>
    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>
    /// Runs a verb, or the service. A start that cannot happen (an invalid setting, the port taken, an
    /// unknown flag) is one line naming the cause and the setting, exit code 1 (2 for usage), never a stack trace.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) || args is ["--help" or "-h", ..])
        {
            return await CliApp.RunAsync(args, stdout, stderr).ConfigureAwait(false);
        }

        if (CliApp.UnknownFlag(args) is { } unknown)
        {
            await stderr.WriteLineAsync($"AgleaFeeds: unknown option {unknown}. Settings are --Section:Key=value; see --help.").ConfigureAwait(false);
            return 2;
        }

        try
        {
            await using var app = Build(args);
            await app.RunAsync().ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (StartFailure(ex) is { } message)
        {
            await stderr.WriteLineAsync($"AgleaFeeds did not start: {message}").ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The one line a failed start prints, or null for a bug (which keeps its stack trace).</summary>
    internal static string? StartFailure(Exception ex) => ex switch
    {
        Microsoft.Extensions.Options.OptionsValidationException o => string.Join(" ", o.Failures.Distinct()),
        IOException io when io.InnerException is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse } || io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)
            => $"{io.Message.TrimEnd('.')}. Another AgleaFeeds (or another program) listens there: stop it, or choose another address with Urls (e.g. --Urls=http://127.0.0.1:5081).",
        InvalidOperationException { InnerException: FormatException or InvalidCastException or OverflowException } bad when bad.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase)
            => bad.Message.TrimEnd('.') + $" ({bad.InnerException!.Message.TrimEnd('.')}).",
        UnauthorizedAccessException or DirectoryNotFoundException => ex.Message,
        _ => null,
    };

    /// <summary>Builds the web host; tests call it with their own configuration.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder([NoConfigReload, .. args]);
        // A start that fails is reported as one line by RunAsync; the host's own log of it is a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        configure?.Invoke(builder);
        builder.Services.AddAgleaFeedsPipeline(builder.Configuration);
        // The pages' components write every language's letters as themselves (markup characters are still encoded).
        builder.Services.AddSingleton(System.Text.Encodings.Web.HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.AddOptions<JobsOptions>().Bind(builder.Configuration.GetSection(JobsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var storage = builder.Configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        var jobsOptions = builder.Configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        Directory.CreateDirectory(Path.GetDirectoryName(storage.JobsDatabasePath)!);
        builder.Services.AddHangfire(c =>
        {
            c.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (storage.IsPostgreSql)
            {
                // Hangfire on the store's database, in its own schema ("hangfire"), created at start.
                c.UsePostgreSqlStorage(
                    o => o.UseNpgsqlConnection(storage.ConnectionString),
                    new Hangfire.PostgreSql.PostgreSqlStorageOptions { QueuePollInterval = jobsOptions.QueuePollInterval, PrepareSchemaIfNecessary = true });
            }
            else
            {
                c.UseSQLiteStorage(storage.JobsDatabasePath, new SQLiteStorageOptions { QueuePollInterval = jobsOptions.QueuePollInterval });
            }
        });
        // First of the hosted services: the schema is there before Data Protection reads its keys and Hangfire's workers run.
        builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService, StoreMigrationService>());
        builder.Services.AddHangfireServer(o =>
        {
            o.WorkerCount = jobsOptions.WorkerCount;
            o.ServerName = OrphanedJobs.ServerName;
            o.SchedulePollingInterval = TimeSpan.FromSeconds(5);
        });
        builder.Services.AddTransient<PollSchedulerJob>();
        builder.Services.AddTransient<PollBatchJob>();
        builder.Services.AddTransient<ScrapeBatchJob>();
        builder.Services.AddTransient<RescrapeRecentJob>();
        builder.Services.AddTransient<ScoreJob>();
        builder.Services.AddTransient<RetrainJob>();
        builder.Services.AddTransient<PublishJob>();
        builder.Services.AddTransient<BlogReadJob>();
        builder.Services.AddTransient<BlogPushJob>();
        builder.Services.AddTransient<RequeueOrphansJob>();
        builder.Services.AddTransient<WordPress.ConfiguredBlogs>();

        // Keys beside the data: sessions, antiforgery tokens and the blogs' encrypted application passwords survive a restart.
        // On Linux the keys are stored unencrypted (no DPAPI; Data Protection's warning at the first start says so): the
        // folder is the service user's alone.
        var keys = Directory.CreateDirectory(storage.KeysPath);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keys.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var protection = builder.Services.AddDataProtection().SetApplicationName("AgleaFeeds");
        if (storage.IsPostgreSql)
        {
            // Several hosts on one database share one key ring: in the store.
            builder.Services.AddOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>()
                .Configure<IFeedStore, TimeProvider>((o, store, time) => o.XmlRepository = new WordPress.StoreKeyRepository((FeedStore)store, time));
        }
        else
        {
            protection.PersistKeysToFileSystem(keys);
        }
        builder.Services.AddSingleton<AgleaFeeds.Moderation.ISecretBox, WordPress.DataProtectionSecretBox>();

        // With antiforgery registered, the dashboard validates every POST (its commands included).
        builder.Services.AddAntiforgery();
        builder.Services.AddOptions<Security.SecurityOptions>().Bind(builder.Configuration.GetSection(Security.SecurityOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var security = builder.Configuration.GetSection(Security.SecurityOptions.Section).Get<Security.SecurityOptions>() ?? new Security.SecurityOptions();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<LoginLink>();
        builder.Services.AddSingleton<DashboardAccess>();
        builder.Services.AddAuthentication(Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.LoginPath = "/login";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = security.SessionLifetime;
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = SessionStore.ValidateAsync;
            });
        builder.Services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionStore>((o, sessions) => o.SessionStore = sessions);
        builder.Services.AddLoginRateLimit(security.LoginAttemptsPerMinute);
        builder.Services.AddResponseCompression(o =>
        {
            o.MimeTypes = ["application/atom+xml", "text/html", "application/json"];
        });
        var app = builder.Build();
        // First: behind a reverse proxy the operator named, the client's address (not the proxy's) is the peer.
        // Without one, forwarded headers are never read: anyone can send them.
        if (security.KnownProxies.Count > 0)
        {
            var forwarded = new ForwardedHeadersOptions
            {
                ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto,
                ForwardLimit = 1,
            };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in security.KnownProxies)
            {
                forwarded.KnownIPNetworks.Add(ListenUrls.TryParseRange(proxy, out var range) ? range : throw new InvalidOperationException($"Security:KnownProxies: \"{proxy}\" is not an address or CIDR range."));
            }

            app.UseForwardedHeaders(forwarded);
        }

        app.Use(SecurityHeaders.ApplyAsync);
        app.UseResponseCompression();
        // The static copies the publish-feeds job writes (Publishing:StaticFolder), served as files at /static/
        // (e.g. /static/feeds/all.atom): for a CDN or a mirror to fetch; the same bytes as /feeds/.
        var staticFolder = app.Services.GetRequiredService<IOptions<Publishing.PublishingOptions>>().Value.StaticFolder;
        if (!string.IsNullOrWhiteSpace(staticFolder))
        {
            Directory.CreateDirectory(staticFolder);
            var types = new Microsoft.AspNetCore.StaticFiles.FileExtensionContentTypeProvider();
            types.Mappings[".atom"] = Endpoints.FeedEndpoints.ContentType;
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetFullPath(staticFolder)),
                RequestPath = "/static",
                ContentTypeProvider = types,
            });
        }

        // Routing here rather than first (the default): the endpoints that end at routing (the feeds) still get the
        // forwarded headers, the security headers and compression above.
        app.UseRouting();
        app.UseAuthentication();
        app.Use(SecurityHeaders.MetricsAccessAsync);
        app.Use(SecurityHeaders.GuardDashboardStatsAsync);
        app.UseRateLimiter();
        DashboardSetup.Register();
        var access = app.Services.GetRequiredService<DashboardAccess>();
        // A browser without a session is sent to the login page, and back afterwards; other clients get Hangfire's 401.
        app.Use(async (http, next) =>
        {
            if (HttpMethods.IsGet(http.Request.Method) && http.Request.Path.StartsWithSegments("/hangfire")
                && http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)
                && http.User.Identity?.IsAuthenticated != true && !access.IsLocalAnonymous(http))
            {
                http.Response.Redirect("/login?ReturnUrl=" + Uri.EscapeDataString(http.Request.Path + http.Request.QueryString));
                return;
            }

            await next(http).ConfigureAwait(false);
        });
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            DashboardTitle = "AgleaFeeds",
            DisplayStorageConnectionString = false,
            AsyncAuthorization = [access],
            IsReadOnlyFunc = context => !access.CanAct(context.GetHttpContext()),
        });
        Security.LoginEndpoints.Map(app);
        Endpoints.HealthEndpoint.Map(app);
        Endpoints.FeedEndpoints.Map(app);
        Endpoints.SampleBlog.Map(app, jobsOptions.SamplesFolder);
        app.MapMetrics(registry: app.Services.GetRequiredService<Observability.PipelineMetrics>().Registry);
        Endpoints.SiteEndpoints.Map(app, hasSample: !string.IsNullOrWhiteSpace(jobsOptions.SamplesFolder) && Directory.Exists(jobsOptions.SamplesFolder));

        // Sources and jobs are set up once the host is listening: the sample blog is served by this host.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // Where this service listens (port 0 resolved): the sample source, the feeds' self links and the login link follow it.
            var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
                .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses;
            var self = app.Services.GetRequiredService<SelfOrigin>();
            self.Set(addresses ?? []);
            PrintLoginLink(app.Services, self.Value);
            StartAsync(app.Services).GetAwaiter().GetResult();
        });
        return app;
    }

    private static async Task StartAsync(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("AgleaFeeds.Host");
        var store = services.GetRequiredService<IFeedStore>();
        await store.MigrateAsync(CancellationToken.None).ConfigureAwait(false);
        var jobs = services.GetRequiredService<IOptions<JobsOptions>>().Value;
        if (!string.IsNullOrWhiteSpace(jobs.SourcesOpml))
        {
            if (File.Exists(jobs.SourcesOpml))
            {
                var ids = await services.GetRequiredService<SourceImporter>().ImportAsync(jobs.SourcesOpml, CancellationToken.None).ConfigureAwait(false);
                LogImported(logger, ids.Count, Path.GetFullPath(jobs.SourcesOpml));
            }
            else
            {
                LogOpmlMissing(logger, Path.GetFullPath(jobs.SourcesOpml));
            }
        }

        if (services.GetRequiredService<Scoring.SpamModelProvider>().Error is { } modelError)
        {
            LogModelMissing(logger, modelError);
        }

        var orphans = OrphanedJobs.Requeue(services.GetRequiredService<JobStorage>(), services.GetRequiredService<IBackgroundJobClient>(), OrphanedJobs.ServerName,
            onlyDeadServers: services.GetRequiredService<IOptions<StorageOptions>>().Value.IsPostgreSql);
        if (orphans.Count > 0)
        {
            LogOrphans(logger, orphans.Count);
        }

        var recurring = services.GetRequiredService<IRecurringJobManagerV2>();
        recurring.AddOrUpdate<PollSchedulerJob>(PollSchedulerJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), jobs.SchedulerCron);
        recurring.AddOrUpdate<RescrapeRecentJob>(RescrapeRecentJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), services.GetRequiredService<IOptions<Scraping.ScrapingOptions>>().Value.RescrapeCron);
        recurring.AddOrUpdate<RetrainJob>(RetrainJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), services.GetRequiredService<IOptions<Scoring.ScoringOptions>>().Value.RetrainCron);
        recurring.AddOrUpdate<PublishJob>(PublishJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), "* * * * *");
        recurring.AddOrUpdate<BlogReadJob>(BlogReadJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), services.GetRequiredService<IOptions<AgleaFeeds.Moderation.BlogModerationOptions>>().Value.ReadCron);
        recurring.AddOrUpdate<BlogPushJob>(BlogPushJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), "* * * * *");
        if (services.GetRequiredService<IOptions<StorageOptions>>().Value.IsPostgreSql)
        {
            recurring.AddOrUpdate<RequeueOrphansJob>(RequeueOrphansJob.RecurringJobId, j => j.Run(), "* * * * *");
        }
        else
        {
            recurring.RemoveIfExists(RequeueOrphansJob.RecurringJobId);
        }

        recurring.TriggerJob(BlogReadJob.RecurringJobId);
        recurring.TriggerJob(PollSchedulerJob.RecurringJobId);
    }

    /// <summary>Prints the one-time login link (and writes it under the data folder), as Jupyter does.</summary>
    private static void PrintLoginLink(IServiceProvider services, Uri self)
    {
        var links = services.GetRequiredService<LoginLink>();
        var link = links.Renew(self.GetLeftPart(UriPartial.Authority));
        Console.WriteLine($"AgleaFeeds is running. Open the dashboard as a moderator with this one-time link:{Environment.NewLine}    {link}{Environment.NewLine}(a new link replaces it once used; the current one is always in {Path.GetFullPath(links.FilePath)})");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} job(s) left processing by a stopped process were enqueued again")]
    private static partial void LogOrphans(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported {Count} source(s) from {Path}")]
    private static partial void LogImported(ILogger logger, int count, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Error} New comments will wait for a person (Pending) until a model is available.")]
    private static partial void LogModelMissing(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No sources file at {Path}: nothing imported")]
    private static partial void LogOpmlMissing(ILogger logger, string path);
}
