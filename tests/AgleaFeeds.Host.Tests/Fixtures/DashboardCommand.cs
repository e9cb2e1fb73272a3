using System.Text.RegularExpressions;

namespace AgleaFeeds.Host.Tests.Fixtures;

/// <summary>Posts a dashboard command as hangfire.js does: with the antiforgery header the dashboard's pages carry.</summary>
internal static partial class DashboardCommand
{
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, bool withToken = true) =>
        PostAsync(client, path, new StringContent(string.Empty), withToken);

    /// <summary>Posts form fields (a name may repeat, as ids[] does).</summary>
    public static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, IEnumerable<(string Name, string Value)> fields, bool withToken = true) =>
        PostAsync(client, path, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))), withToken);

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string path, HttpContent content, bool withToken)
    {
        var page = await client.GetStringAsync("hangfire/moderation");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (withToken)
        {
            request.Headers.Add(CsrfHeader().Match(page).Groups[1].Value, CsrfToken().Match(page).Groups[1].Value);
        }

        return await client.SendAsync(request);
    }

    [GeneratedRegex(@"<meta name=""csrf-header"" content=""([^""]+)""")]
    private static partial Regex CsrfHeader();

    [GeneratedRegex(@"<meta name=""csrf-token"" content=""([^""]+)""")]
    private static partial Regex CsrfToken();
}
