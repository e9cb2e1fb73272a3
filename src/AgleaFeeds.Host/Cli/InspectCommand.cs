using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AgleaFeeds.Fetching;
using AgleaFeeds.Parsing;

namespace AgleaFeeds.Host.Cli;

/// <summary>`inspect FILE|URL`: how AgleaFeeds reads one feed, as JSON, problems included.</summary>
internal static class InspectCommand
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
    };

    public static async Task<int> RunAsync(IServiceProvider services, string target, TextWriter stdout, TextWriter stderr)
    {
        byte[] body;
        string? charset = null;
        object? http = null;
        if (Uri.TryCreate(target, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            var fetch = await services.GetRequiredService<FeedFetcher>().FetchAsync(new FetchRequest(uri), CancellationToken.None).ConfigureAwait(false);
            http = new { fetch.StatusCode, FinalUrl = fetch.FinalUrl?.ToString(), fetch.ContentType, fetch.Charset, fetch.ETag, fetch.LastModified, Bytes = fetch.Body.Length };
            if (!fetch.IsSuccess)
            {
                await stdout.WriteLineAsync(JsonSerializer.Serialize(new { Target = target, Http = http, fetch.Error }, Json)).ConfigureAwait(false);
                return 1;
            }

            body = fetch.Body;
            charset = fetch.Charset;
        }
        else if (File.Exists(target))
        {
            body = await File.ReadAllBytesAsync(target).ConfigureAwait(false);
        }
        else
        {
            await stderr.WriteLineAsync($"inspect: {target} is neither an http(s) URL nor a file.").ConfigureAwait(false);
            return 2;
        }

        var result = FeedParser.Parse(body, charset);
        var feed = result.Feed;
        var report = new
        {
            Target = target,
            Http = http,
            feed?.Format,
            feed?.Title,
            feed?.SiteUrl,
            feed?.Generator,
            UpdateInterval = feed?.UpdateInterval?.ToString(),
            result.Error,
            result.Problems,
            Entries = feed?.Entries.Select(e => new
            {
                e.Guid,
                e.Link,
                e.Title,
                e.PublishedAt,
                e.UpdatedAt,
                e.Author,
                e.Categories,
                e.CommentsUrl,
                e.CommentFeedUrl,
                e.CommentCount,
                ContentChars = e.ContentHtml?.Length,
            }),
        };
        await stdout.WriteLineAsync(JsonSerializer.Serialize(report, Json)).ConfigureAwait(false);
        return result.IsSuccess ? 0 : 1;
    }
}
