using System.Text.Json;
using AgleaFeeds.Fetching;

namespace AgleaFeeds.Polling;

/// <summary>WordPress's REST API explains a refusal in its body: <c>{"code": "incorrect_password", "message": "…"}</c>.</summary>
public static class WordPressErrors
{
    /// <summary>The error's code and message of a failed answer ("HTTP 401 incorrect_password: …"), or null when the body says nothing readable.</summary>
    public static string? Explain(FetchResult fetch)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        return Code(fetch) is { } e ? $"HTTP {fetch.StatusCode} {e.Code}: {e.Message}" : null;
    }

    /// <summary>The error code and plain message of a failed answer, when it has them.</summary>
    public static (string Code, string Message)? Code(FetchResult fetch)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        if (fetch.Outcome != FetchOutcome.Failed || fetch.Body.Length == 0)
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(fetch.Body, new JsonDocumentOptions { MaxDepth = 16 });
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String)
            {
                var message = json.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                var plain = Safety.HtmlFragment.ToText(message)?.Trim();
                return (code.GetString()!, plain is { Length: > 300 } ? plain[..300] + "…" : plain ?? string.Empty);
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
