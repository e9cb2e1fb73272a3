using System.Globalization;

namespace AgleaFeeds.Host.Views;

/// <summary>How the pages write times, durations, actors and model versions for a person.</summary>
internal static class Show
{
    /// <summary>An instant in UTC with how long ago or ahead it is: "2026-11-30 08:48:36 UTC (18 s ago)".</summary>
    public static string Relative(DateTimeOffset at, DateTimeOffset now)
    {
        var delta = at - now;
        var span = delta.Duration();
        var text = span.TotalSeconds < 60 ? $"{span.TotalSeconds:0} s" : span.TotalMinutes < 120 ? $"{span.TotalMinutes:0} min" : span.TotalHours < 48 ? $"{span.TotalHours:0} h" : $"{span.TotalDays:0} d";
        return delta < TimeSpan.Zero ? $"{Utc(at)} ({text} ago)" : $"{Utc(at)} (in {text})";
    }

    /// <summary>"2026-11-30 08:48:36 UTC".</summary>
    public static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>"2026-11-30 08:48 UTC".</summary>
    public static string UtcMinutes(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>A score as three decimals.</summary>
    public static string Score(double score) => score.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>A model version as a person reads it: "shipped model a3d6cd62b010", "model trained 2026-11-30 03:15 UTC".</summary>
    public static string Version(string version)
    {
        if (version.StartsWith("shipped", StringComparison.Ordinal))
        {
            var hash = version.Length > "shipped-".Length ? version["shipped-".Length..] : null;
            return hash is null ? "shipped model" : $"shipped model {hash}";
        }

        return DateTimeOffset.TryParseExact(version, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? $"model trained {UtcMinutes(at)}"
            : version;
    }

    /// <summary>Who made a decision: a moderator's name, or what decided automatically.</summary>
    public static string Actor(string actor) => actor switch
    {
        "scoring:none" => "automatic (no model: held for a person)",
        "system" => "AgleaFeeds",
        "blog" => "the blog (WordPress)",
        "wordpress" => "the blog's moderators (WordPress)",
        _ when actor.StartsWith("scoring:", StringComparison.Ordinal) && actor.Split("+blog") is [var model, var labels] => $"automatic ({Version(model["scoring:".Length..])} and this blog's model of {labels} decisions)",
        _ when actor.StartsWith("scoring:", StringComparison.Ordinal) => $"automatic ({Version(actor["scoring:".Length..])})",
        _ => actor,
    };

    /// <summary>Where a decision's way to the blog stands, in a few words ("on the blog: spam", "push failed: …").</summary>
    public static string Sync(Model.BlogSync sync) => sync.State switch
    {
        "pending" => $"to push to the blog: {sync.Wanted}" + (sync.Note is { } n ? $" (retrying: {n})" : string.Empty),
        "pushed" => $"on the blog: {sync.Wanted}",
        "failed" => $"push failed ({sync.Wanted}): {sync.Note}",
        "conflict" => $"conflict: {sync.Note}",
        _ => sync.State,
    };

    /// <summary>The label's style for a sync state.</summary>
    public static string SyncCss(Model.BlogSync sync) => sync.State switch
    {
        "pushed" => "label-success",
        "failed" => "label-danger",
        "conflict" => "label-warning",
        _ => "label-info",
    };
}
