using System.Net;
using System.Text.RegularExpressions;

namespace AgleaFeeds.Host.Tests.Fixtures;

/// <summary>
/// Posts to the dashboard as a browser does: commands as hangfire.js sends them (with the antiforgery
/// header the dashboard's pages carry), and plain forms with the hidden antiforgery field of the page they are on.
/// </summary>
internal static partial class DashboardCommand
{
    public static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, bool withToken = true) =>
        PostAsync(client, path, new StringContent(string.Empty), withToken);

    /// <summary>Posts form fields (a name may repeat, as ids[] does).</summary>
    public static Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, IEnumerable<(string Name, string Value)> fields, bool withToken = true) =>
        PostAsync(client, path, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))), withToken);

    /// <summary>Signs in with the login form (and its antiforgery field, unless <paramref name="withToken"/> is false).</summary>
    public static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string name, string password, bool withToken = true)
    {
        var form = await client.GetStringAsync("login");
        var fields = new Dictionary<string, string> { ["name"] = name, ["password"] = password };
        if (withToken)
        {
            var (tokenName, tokenValue) = FormToken(form);
            fields[tokenName] = tokenValue;
        }

        return await client.PostAsync("login", new FormUrlEncodedContent(fields));
    }

    /// <summary>The hidden antiforgery field (name, value) of a page's form.</summary>
    public static (string Name, string Value) FormToken(string page)
    {
        var match = HiddenField().Match(page);
        return (match.Groups[1].Value, WebUtility.HtmlDecode(match.Groups[2].Value));
    }

    /// <summary>Submits a form of <paramref name="pagePath"/> (its antiforgery field added) and returns the page the browser lands on.</summary>
    public static async Task<string> SubmitAsync(HttpClient client, string pagePath, string action, IEnumerable<(string Name, string Value)> fields, (string Name, byte[] Content)? file = null)
    {
        var token = FormToken(await client.GetStringAsync(pagePath));
        HttpContent content;
        if (file is { } upload)
        {
            var multipart = new MultipartFormDataContent { { new ByteArrayContent(upload.Content), upload.Name.Split('/')[0], upload.Name.Split('/')[1] } };
            foreach (var (name, value) in fields.Append(token))
            {
                multipart.Add(new StringContent(value), name);
            }

            content = multipart;
        }
        else
        {
            content = new FormUrlEncodedContent(fields.Append(token).Select(f => KeyValuePair.Create(f.Name, f.Value)));
        }

        using var response = await client.PostAsync(action, content);
        return await response.Content.ReadAsStringAsync();
    }

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

    [GeneratedRegex(@"<input type=""hidden"" name=""([^""]+)"" value=""([^""]+)""")]
    private static partial Regex HiddenField();
}
