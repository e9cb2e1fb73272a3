using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using AgleaFeeds.Storage;

namespace AgleaFeeds.Host.Cli;

/// <summary>`export`: every source, post and comment with its moderation history, one JSON object a line.</summary>
internal static class ExportCommand
{
    private static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        // A source polled at the default interval has no interval of its own (stored as zero): the field is left out, not written as 00:00:00.
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver
        {
            Modifiers =
            {
                info =>
                {
                    if (info.Type == typeof(Model.Source) && info.Properties.FirstOrDefault(p => p.Name == "pollInterval") is { } interval)
                    {
                        interval.ShouldSerialize = (_, value) => value is TimeSpan t && t > TimeSpan.Zero;
                    }
                },
            },
        },
    };

    public static async Task WriteAsync(IFeedStore store, TextWriter output, CancellationToken ct)
    {
        foreach (var source in await store.ListSourcesAsync(ct).ConfigureAwait(false))
        {
            await WriteLineAsync(output, new { Type = "source", Source = source }).ConfigureAwait(false);
            foreach (var post in await store.ListPostsAsync(source.Id, ct).ConfigureAwait(false))
            {
                await WriteLineAsync(output, new { Type = "post", Post = post }).ConfigureAwait(false);
                foreach (var comment in await store.ListCommentsAsync(post.Id, ct).ConfigureAwait(false))
                {
                    var history = await store.ListEventsAsync(comment.Id, ct).ConfigureAwait(false);
                    await WriteLineAsync(output, new { Type = "comment", Comment = comment, History = history }).ConfigureAwait(false);
                }
            }
        }
    }

    private static Task WriteLineAsync(TextWriter output, object value) => output.WriteLineAsync(JsonSerializer.Serialize(value, Json));
}
