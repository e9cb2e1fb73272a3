using System.Collections.Concurrent;
using System.Xml;
using System.Xml.Linq;
using AgleaFeeds.Moderation;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.WordPress;

/// <summary>
/// Connects the sources named in configuration (Sources:WordPress:&lt;n&gt;: SiteUrl, User, ApplicationPassword,
/// PushVerdicts; or Name, which an OPML outline names with agleafeedsWordPress="Name") to their WordPress. Run at the
/// start of every read, so a fixed password is picked up on the next read; the credentials are checked only when
/// they differ from the stored ones. What went wrong is shown on the Sources page.
/// </summary>
internal sealed partial class ConfiguredBlogs(
    IConfiguration configuration,
    IFeedStore store,
    IBlogSyncStore sync,
    BlogModeration blogs,
    IOptions<JobsOptions> jobs,
    ILogger<ConfiguredBlogs> logger)
{
    /// <summary>The OPML outline attribute naming a Sources:WordPress entry.</summary>
    public const string OpmlAttribute = "agleafeedsWordPress";

    /// <summary>Why a configured entry is not connected, by source (or by entry, -1 - index, when no source matches).</summary>
    private static readonly ConcurrentDictionary<long, string> ProblemsBySource = new();

    public static IReadOnlyDictionary<long, string> Problems => ProblemsBySource;

    public async Task<int> ConnectAsync(CancellationToken ct)
    {
        var entries = configuration.GetSection(BlogCredentialsOptions.Section).Get<List<BlogCredentialsOptions>>() ?? [];
        if (entries.Count == 0)
        {
            return 0;
        }

        var sources = await store.ListSourcesAsync(ct).ConfigureAwait(false);
        var named = OpmlNames();
        var connected = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var where = $"{BlogCredentialsOptions.Section}:{i}";
            var source = entry.Name is { Length: > 0 } name
                ? sources.FirstOrDefault(s => named.TryGetValue(s.FeedUrl, out var n) && n == name)
                : null;
            source ??= entry.SiteUrl is { Length: > 0 } site ? sources.FirstOrDefault(s => OnSite(s.SiteUrl, site) || OnSite(s.FeedUrl, site)) : null;
            if (source is null)
            {
                ProblemsBySource[-1 - i] = $"{where} ({entry}): no source has this address or OPML name.";
                LogNoSource(logger, where, entry.ToString());
                continue;
            }

            ProblemsBySource.TryRemove(-1 - i, out _);
            if (string.IsNullOrWhiteSpace(entry.User) || string.IsNullOrWhiteSpace(entry.ApplicationPassword))
            {
                ProblemsBySource[source.Id] = $"{where}: give User and ApplicationPassword.";
                continue;
            }

            var existing = await sync.GetConnectionAsync(source.Id, ct).ConfigureAwait(false);
            if (existing is not null && blogs.SameCredentials(existing, entry.User, entry.ApplicationPassword))
            {
                if (existing.PushVerdicts != entry.PushVerdicts && existing.Origin == "configuration")
                {
                    await sync.SetPushVerdictsAsync(source.Id, entry.PushVerdicts, ct).ConfigureAwait(false);
                }

                ProblemsBySource.TryRemove(source.Id, out _);
                continue;
            }

            var check = await blogs.ConnectAsync(source.Id, entry.SiteUrl, entry.User, entry.ApplicationPassword, entry.PushVerdicts, "configuration", "configuration", ct).ConfigureAwait(false);
            if (check.Ok)
            {
                ProblemsBySource.TryRemove(source.Id, out _);
                connected++;
            }
            else
            {
                ProblemsBySource[source.Id] = $"{where}: {check.Error}";
            }
        }

        return connected;
    }

    private static bool OnSite(string? url, string site) =>
        url is not null && Uri.TryCreate(url, UriKind.Absolute, out var u) && Uri.TryCreate(site.Trim(), UriKind.Absolute, out var s)
        && string.Equals(u.IdnHost, s.IdnHost, StringComparison.OrdinalIgnoreCase) && u.Port == s.Port
        && u.AbsolutePath.StartsWith(s.AbsolutePath.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>The feed URLs of the sources file's outlines that name an entry, with the name.</summary>
    private Dictionary<string, string> OpmlNames()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var path = jobs.Value.SourcesOpml;
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            return names;
        }

        try
        {
            using var reader = XmlReader.Create(path, AgleaFeeds.Parsing.FeedText.SafeSettings);
            foreach (var outline in XDocument.Load(reader).Descendants("outline"))
            {
                if ((string?)outline.Attribute(OpmlAttribute) is { Length: > 0 } name && ((string?)outline.Attribute("xmlUrl"))?.Trim() is { Length: > 0 } url)
                {
                    names[url] = name;
                }
            }
        }
        catch (XmlException)
        {
            // The importer reports a broken sources file; it names no blog then.
        }

        return names;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Where} ({Entry}): no source has this address or OPML name; nothing connected")]
    private static partial void LogNoSource(ILogger logger, string where, string entry);
}
