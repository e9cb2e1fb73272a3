using AgleaFeeds.Sources;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Cli;

/// <summary>The command-line verbs: poll-once, inspect, export.</summary>
internal static class CliApp
{
    public const string Usage = """
        AgleaFeeds: a self-hosted feed aggregator and comment moderation service for WordPress blogs.

        Usage:
          AgleaFeeds.Host                      run the service (Hangfire server, dashboard at /hangfire)
          AgleaFeeds.Host poll-once            import feeds/sources.opml, poll every source once, print one line each
          AgleaFeeds.Host inspect FILE|URL... [--base URL]
                                               print, one JSON object a line, how AgleaFeeds reads each feed, or post page and its
                                               comment tree; --base gives files their document URL (for relative links)
          AgleaFeeds.Host migrate              apply the store's migrations (SQLite or PostgreSQL, Storage:Provider) and exit
          AgleaFeeds.Host copy-store --from STORE --to STORE
                                               copy a store into a new, empty one (every row, ids kept; one transaction); STORE is
                                               a data folder (SQLite) or a PostgreSQL connection string ("Host=…;Database=…")
          AgleaFeeds.Host export [FILE]        write every source, post and comment (with history) as JSON lines
          AgleaFeeds.Host labels [FILE]        write the labels the store holds (moderators' decisions and the blogs' own, imported from
                                               WordPress) as a CSV that train --labels, evaluate and learning-curve read
          AgleaFeeds.Host train [--corpus DIR] [--labels FILE] [--exclude NAME] [--out FILE]
                                               train the spam model on ../shared/data/spam (plus a blog's labelled CSV, weighted as
                                               moderator decisions; --exclude leaves a corpus file out), print held-out figures; without
                                               --out it is saved as a new version (use it with `rollback VERSION`), never over models/
          AgleaFeeds.Host evaluate --data FILE      F1, AUC, confusion and the verdicts (caught, waiting, approved) on a labelled CSV/TSV
          AgleaFeeds.Host score "text" [--author NAME] [--author-url URL]   the verdict the service would give one comment (model, thresholds, rules)
          AgleaFeeds.Host score --data FILE    the verdict, score and reasons of every comment of a CSV (labelled or not), one line each
          AgleaFeeds.Host learning-curve --data FILE [--sizes 25,50,100,200,400] [--exclude NAME]
                                               how fast the blog's model learns from N of that file's labels, measured on the rest
          AgleaFeeds.Host retrain              train on the corpus plus moderators' decisions; promote if not worse
          AgleaFeeds.Host model-versions       list the promoted model versions and the one in use
          AgleaFeeds.Host rollback VERSION     use an earlier version again ("shipped" for models/spam-model.zip)
          AgleaFeeds.Host hash-password        read a password from standard input, print the hash for Security:Accounts
          AgleaFeeds.Host --help               this text

        Any setting can be overridden as --Section:Key=value, e.g. --Storage:DataDirectory=/var/lib/agleafeeds.
        With `dotnet run`, put the verb after `--`: dotnet run --project src/AgleaFeeds.Host -- poll-once
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            return await RunVerbAsync(args, stdout, stderr).ConfigureAwait(false);
        }
        catch (Exception ex) when (AgleaFeedsApp.StartFailure(ex) is { } message)
        {
            await stderr.WriteLineAsync($"AgleaFeeds: {message}").ConfigureAwait(false);
            return 1;
        }
        catch (Exception ex) when (ex is InvalidDataException or FileNotFoundException or FormatException or IOException or InvalidOperationException)
        {
            // Expected failures of the model verbs (no model, a corpus file missing or malformed): the message says what to do.
            await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The verbs' flags that take a value (the next argument); declared first, KnownFlags includes them.</summary>
    private static readonly string[] FlagsWithValues = ["--corpus", "--out", "--data", "--author", "--author-url", "--base", "--labels", "--exclude", "--sizes", "--from", "--to"];

    /// <summary>Flags the service and its verbs know: settings (--Section:Key=value) and ASP.NET Core's host flags.</summary>
    private static readonly string[] KnownFlags = ["--urls", "--environment", "--contentRoot", "--applicationName", "--webroot", "--help", "-h", .. FlagsWithValues];

    /// <summary>The first argument that looks like a flag and is neither a setting nor a known flag, or null.</summary>
    internal static string? UnknownFlag(IEnumerable<string> args) =>
        args.FirstOrDefault(a => a.StartsWith("-", StringComparison.Ordinal) && a.Length > 1 && !a.Contains(':', StringComparison.Ordinal)
            && !KnownFlags.Contains(a.Split('=')[0], StringComparer.OrdinalIgnoreCase) && !(a.Contains('=', StringComparison.Ordinal) && a.StartsWith("--", StringComparison.Ordinal) && KnownFlags.Contains(a.Split('=')[0], StringComparer.OrdinalIgnoreCase)));

    private static async Task<int> RunVerbAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (UnknownFlag(args) is { } unknown)
        {
            await stderr.WriteLineAsync($"AgleaFeeds: unknown option {unknown}.").ConfigureAwait(false);
            await stderr.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        var verb = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) || a is "--help" or "-h");
        var operands = args.SkipWhile(a => a != verb).Skip(1)
            .Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !FlagsWithValues.Contains(args.SkipWhile(x => x != verb).Skip(1).ElementAt(i - 1))))
            .ToArray();
        switch (verb)
        {
            case null or "--help" or "-h" or "help":
                await stdout.WriteLineAsync(Usage).ConfigureAwait(false);
                return 0;
            case "poll-once":
                using (var host = CreateHost(args))
                {
                    return await PollOnceAsync(host.Services, stdout).ConfigureAwait(false);
                }

            case "inspect" when operands.Length >= 1:
                using (var host = CreateHost(args))
                {
                    // One JSON object per line, one per target; the exit code is the worst.
                    var at = Array.IndexOf(args, "--base");
                    Uri? documentUrl = null;
                    if (at >= 0 && (at + 1 >= args.Length || !Uri.TryCreate(args[at + 1], UriKind.Absolute, out documentUrl)))
                    {
                        await stderr.WriteLineAsync("inspect: --base needs an absolute URL (the document URL relative links resolve against).").ConfigureAwait(false);
                        return 2;
                    }

                    var worst = 0;
                    foreach (var target in operands)
                    {
                        worst = Math.Max(worst, await InspectCommand.RunAsync(host.Services, target, documentUrl, stdout, stderr).ConfigureAwait(false));
                    }

                    return worst;
                }

            case "export":
                using (var host = CreateHost(args))
                {
                    var store = host.Services.GetRequiredService<IFeedStore>();
                    await store.MigrateAsync(CancellationToken.None).ConfigureAwait(false);
                    if (operands.Length == 1)
                    {
                        await using var file = File.CreateText(operands[0]);
                        await ExportCommand.WriteAsync(store, file, CancellationToken.None).ConfigureAwait(false);
                    }
                    else
                    {
                        await ExportCommand.WriteAsync(store, stdout, CancellationToken.None).ConfigureAwait(false);
                    }

                    return 0;
                }

            case "migrate":
                using (var host = CreateHost(args))
                {
                    var options = host.Services.GetRequiredService<IOptions<StorageOptions>>().Value;
                    await host.Services.GetRequiredService<IFeedStore>().MigrateAsync(CancellationToken.None).ConfigureAwait(false);
                    await stdout.WriteLineAsync(options.IsPostgreSql
                        ? $"the store's migrations are applied on PostgreSQL ({PostgresMigrations.Available.Count} known; Hangfire creates its schema at the service's start)"
                        : $"the store's migrations are applied to {options.DatabasePath} ({SqliteMigrations.Available.Count} known)").ConfigureAwait(false);
                    return 0;
                }

            case "copy-store" when Option(args, "--from") is { } from && Option(args, "--to") is { } to:
                {
                    var (source, keys) = StoreAt(from);
                    var (target, _) = StoreAt(to);
                    try
                    {
                        var (models, current) = ModelFilesAt(from);
                        var copied = await StoreCopy.CopyAsync(source, target, keys, CancellationToken.None, models, current).ConfigureAwait(false);
                        await stdout.WriteLineAsync($"copied: {copied}").ConfigureAwait(false);
                        return 0;
                    }
                    catch (InvalidOperationException ex)
                    {
                        await stderr.WriteLineAsync(ex.Message).ConfigureAwait(false);
                        return 1;
                    }
                    finally
                    {
                        foreach (var db in new[] { source, target }.OfType<IAsyncDisposable>())
                        {
                            await db.DisposeAsync().ConfigureAwait(false);
                        }
                    }
                }

            case "labels":
                using (var host = CreateHost(args))
                {
                    var store = host.Services.GetRequiredService<IFeedStore>();
                    await store.MigrateAsync(CancellationToken.None).ConfigureAwait(false);
                    var labels = await store.ListModeratorLabelsAsync(CancellationToken.None).ConfigureAwait(false);
                    await using var file = operands.Length == 1 ? File.CreateText(operands[0]) : null;
                    await ModelCommands.WriteLabelsAsync(labels.Select(l => l.Label), file ?? stdout).ConfigureAwait(false);
                    await (file is null ? stderr : stdout).WriteLineAsync($"{labels.Count} labels ({labels.Count(l => l.Label.IsSpam)} spam)").ConfigureAwait(false);
                    return 0;
                }

            case "train":
                using (var host = CreateHost(args))
                {
                    return await ModelCommands.TrainAsync(host.Services, new(Option(args, "--corpus"), Option(args, "--labels"), Option(args, "--exclude"), Option(args, "--out")), stdout).ConfigureAwait(false);
                }

            case "evaluate" when Option(args, "--data") is { } data:
                using (var host = CreateHost(args))
                {
                    return await ModelCommands.EvaluateAsync(host.Services, data, stdout).ConfigureAwait(false);
                }

            case "score" when Option(args, "--data") is { } data:
                using (var host = CreateHost(args))
                {
                    await host.Services.GetRequiredService<IFeedStore>().MigrateAsync(CancellationToken.None).ConfigureAwait(false);
                    return await ModelCommands.ScoreFileAsync(host.Services, data, stdout, stderr).ConfigureAwait(false);
                }

            case "learning-curve" when Option(args, "--data") is { } data:
                using (var host = CreateHost(args))
                {
                    return await ModelCommands.LearningCurveAsync(host.Services, data, Option(args, "--sizes"), Option(args, "--exclude"), stdout, stderr).ConfigureAwait(false);
                }

            case "score" when operands.Length >= 1:
                using (var host = CreateHost(args))
                {
                    await host.Services.GetRequiredService<IFeedStore>().MigrateAsync(CancellationToken.None).ConfigureAwait(false);
                    return await ModelCommands.ScoreAsync(host.Services, operands[0], Option(args, "--author"), Option(args, "--author-url"), stdout, stderr).ConfigureAwait(false);
                }

            case "hash-password":
                var password = await Console.In.ReadLineAsync().ConfigureAwait(false);
                if (string.IsNullOrEmpty(password))
                {
                    await stderr.WriteLineAsync("hash-password: give the password on standard input, e.g. read -rs P && echo \"$P\" | … hash-password").ConfigureAwait(false);
                    return 2;
                }

                await stdout.WriteLineAsync(Security.LoginEndpoints.Hash(password)).ConfigureAwait(false);
                return 0;

            case "retrain":
                using (var host = CreateHost(args))
                {
                    await host.Services.GetRequiredService<IFeedStore>().MigrateAsync(CancellationToken.None).ConfigureAwait(false);
                    var result = await host.Services.GetRequiredService<Scoring.ModelRetrainer>().RetrainAsync(CancellationToken.None).ConfigureAwait(false);
                    await stdout.WriteLineAsync(result.Message).ConfigureAwait(false);
                    return result.Promoted ? 0 : 1;
                }

            case "model-versions":
                using (var host = CreateHost(args))
                {
                    var models = host.Services.GetRequiredService<Scoring.SpamModelProvider>();
                    // The model that ships with the repository is always there to go back to.
                    await stdout.WriteLineAsync("shipped (models/spam-model.zip)").ConfigureAwait(false);
                    foreach (var version in models.Versions())
                    {
                        await stdout.WriteLineAsync(version).ConfigureAwait(false);
                    }

                    await stdout.WriteLineAsync($"in use: {models.Version}{(models.Error is null ? string.Empty : " (" + models.Error + ")")}").ConfigureAwait(false);
                    return 0;
                }

            case "rollback" when operands.Length == 1:
                using (var host = CreateHost(args))
                {
                    var models = host.Services.GetRequiredService<Scoring.SpamModelProvider>();
                    models.Activate(operands[0]);
                    await stdout.WriteLineAsync($"in use: {models.Version}").ConfigureAwait(false);
                    return 0;
                }

            default:
                await stderr.WriteLineAsync($"Unknown command or missing argument: {string.Join(' ', args)}{Environment.NewLine}{Environment.NewLine}{Usage}").ConfigureAwait(false);
                return 2;
        }
    }

    /// <summary>The value after a flag ("--data FILE"), or null.</summary>
    private static string? Option(string[] args, string flag)
    {
        var i = Array.IndexOf(args, flag);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    /// <summary>A host without a web server: configuration, logging to stderr, the pipeline.</summary>
    /// <summary>A store named on the command line: a PostgreSQL connection string, else a data folder (SQLite), with the key files beside it.</summary>
    private static (StoreDatabase Database, IEnumerable<(string Name, string Xml)> Keys) StoreAt(string value)
    {
        if (value.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            return (StoreDatabase.Create(new StorageOptions { Provider = "PostgreSql", ConnectionString = value }), []);
        }

        var options = new StorageOptions { DataDirectory = value };
        var keys = Directory.Exists(options.KeysPath)
            ? Directory.GetFiles(options.KeysPath, "*.xml").Select(f => (Path.GetFileNameWithoutExtension(f), File.ReadAllText(f))).ToList()
            : [];
        return (StoreDatabase.Create(options), keys);
    }

    /// <summary>The spam model versions saved beside a SQLite store (data/models) and the one in use; none for a PostgreSQL store.</summary>
    private static (IReadOnlyList<StoredModelVersion> Models, string? Current) ModelFilesAt(string value)
    {
        var folder = Path.Combine(value, "models");
        if (value.Contains("Host=", StringComparison.OrdinalIgnoreCase) || !Directory.Exists(folder))
        {
            return ([], null);
        }

        var models = Directory.GetFiles(folder, "*.zip").Order(StringComparer.Ordinal).Select(zip => new StoredModelVersion(
            Path.GetFileNameWithoutExtension(zip),
            File.ReadAllBytes(zip),
            File.Exists(Path.ChangeExtension(zip, ".txt")) ? File.ReadAllText(Path.ChangeExtension(zip, ".txt")).Trim() : "",
            File.GetLastWriteTimeUtc(zip))).ToList();
        var pointer = Path.Combine(folder, "current");
        return (models, File.Exists(pointer) ? File.ReadAllText(pointer).Trim() : null);
    }

    private static IHost CreateHost(string[] args)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(
            [AgleaFeedsApp.NoConfigReload, .. args.Where(a => a.StartsWith("--", StringComparison.Ordinal) && a.Contains('=', StringComparison.Ordinal))]);
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAgleaFeedsPipeline(builder.Configuration);
        builder.Services.AddOptions<JobsOptions>().Bind(builder.Configuration.GetSection(JobsOptions.Section));
        return builder.Build();
    }

    private static async Task<int> PollOnceAsync(IServiceProvider services, TextWriter stdout)
    {
        var store = services.GetRequiredService<IFeedStore>();
        await store.MigrateAsync(CancellationToken.None).ConfigureAwait(false);
        var opml = services.GetRequiredService<IOptions<JobsOptions>>().Value.SourcesOpml;
        if (!string.IsNullOrWhiteSpace(opml) && File.Exists(opml))
        {
            await services.GetRequiredService<SourceImporter>().ImportAsync(opml, CancellationToken.None).ConfigureAwait(false);
        }

        // Leased like the scheduler's batches, so a service running on the same data never polls a source at the same time.
        // The ids alone (listing the sources with their counts read every comment of a large store); titles are
        // looked up only for sources another poller holds.
        var ids = await store.ListSourceIdsAsync(CancellationToken.None).ConfigureAwait(false);
        var polling = services.GetRequiredService<IOptions<Polling.PollingOptions>>().Value;
        var claim = Polling.ThisHost.NewLeaseOwner();
        var claimed = await store.ClaimSourcesAsync(ids, services.GetRequiredService<TimeProvider>().GetUtcNow(), polling.Lease, claim, CancellationToken.None).ConfigureAwait(false);
        var results = await services.GetRequiredService<Polling.PollBatchRunner>().RunAsync(claimed, claim, CancellationToken.None).ConfigureAwait(false);
        var skipped = ids.Except(claimed).ToHashSet();
        var held = skipped.Count == 0 ? [] : (await store.ListSourcesAsync(CancellationToken.None).ConfigureAwait(false)).Where(s => skipped.Contains(s.Id)).ToList();
        var lines = results.Select(r => (r.Title, r.Summary))
            .Concat(held.Select(s => (s.Title, "skipped: being polled by another poller (lease)")));
        foreach (var (title, summary) in lines.OrderBy(l => l.Title, StringComparer.Ordinal))
        {
            await stdout.WriteLineAsync($"{title}: {summary}").ConfigureAwait(false);
        }

        return results.Any(r => r.Error is not null) ? 1 : 0;
    }
}
