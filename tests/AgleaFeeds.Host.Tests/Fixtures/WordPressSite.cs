using AgleaFeeds.Testing;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgleaFeeds.Host.Tests.Fixtures;

/// <summary>
/// The real WordPress that tests/wordpress/wordpress.sh runs (Debian's package, MariaDB, Apache with
/// mod_php on 127.0.0.1): reseeded per test, changed through WordPress's own API, and asked what is
/// public. Tests skip, saying how to start it, where it is not running; CI always starts it.
/// </summary>
internal sealed class WordPressSite
{
    private readonly string _script;

    private WordPressSite(Uri url, string script)
    {
        Url = url;
        _script = script;
    }

    /// <summary>The blog's home, e.g. http://127.0.0.1:8089/.</summary>
    public Uri Url { get; }

    /// <summary>The posts feed a user would add as a source.</summary>
    public string FeedUrl => new Uri(Url, "feed/").ToString();

    /// <summary>Finds the running site, or skips the test saying how to start one.</summary>
    public static async Task<WordPressSite> RequireAsync()
    {
        var folder = Environment.GetEnvironmentVariable("AGLEAFEEDS_WP_DIR") is { Length: > 0 } d ? d : "/tmp/agleafeeds-wordpress";
        var file = Path.Combine(folder, "site.json");
        Skip.IfNot(File.Exists(file), $"no test WordPress at {folder}: run 'tests/wordpress/wordpress.sh install' (root) and 'tests/wordpress/wordpress.sh start' (.ci/run does both)");
        var info = JsonSerializer.Deserialize<JsonElement>(await File.ReadAllTextAsync(file));
        var site = new WordPressSite(new Uri(info.GetProperty("url").GetString()!), info.GetProperty("script").GetString()!);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = await http.GetAsync(site.Url);
            Skip.IfNot(response.IsSuccessStatusCode, $"the test WordPress at {site.Url} answers {(int)response.StatusCode}: restart it with tests/wordpress/wordpress.sh start");
        }
        catch (HttpRequestException ex)
        {
            Skip.If(true, $"the test WordPress at {site.Url} does not answer ({ex.Message}): start it with tests/wordpress/wordpress.sh start");
        }

        return site;
    }

    /// <summary>Drops the site and seeds it again, deterministically, with a theme.</summary>
    public Task SeedAsync(string theme) => RunAsync("seed", theme);

    /// <summary>Every public post and comment, as WordPress itself lists them, and what must never be shown.</summary>
    public async Task<BlogTruth> TruthAsync() =>
        JsonSerializer.Deserialize<BlogTruth>(await RunAsync("truth"), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    /// <summary>A new approved comment, now; returns its id.</summary>
    public async Task<long> CommentAsync(long postId, long parentId, string author, string text, string url = "") =>
        long.Parse(await RunAsync("comment", postId.ToString(), parentId.ToString(), author, text, url), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Moves a comment to approve, hold, spam or trash, as the blog's moderators do.</summary>
    public Task SetStatusAsync(long commentId, string status) => RunAsync("status", commentId.ToString(), status);

    public Task DeleteCommentAsync(long commentId) => RunAsync("delete", commentId.ToString());

    public Task EditCommentAsync(long commentId, string text) => RunAsync("edit-comment", commentId.ToString(), text);

    public Task EditPostAsync(long postId, string html) => RunAsync("edit-post", postId.ToString(), html);

    /// <summary>Trashes a post, or makes it private, a draft, or published again.</summary>
    public Task SetPostStatusAsync(long postId, string status) => RunAsync("post-status", postId.ToString(), status);

    /// <summary>Changes a setting as WordPress's Settings screens do.</summary>
    public Task SetOptionAsync(string name, string value) => RunAsync("option", name, value);

    /// <summary>A new published post, now; returns its id.</summary>
    public async Task<long> PostAsync(string title, string html) =>
        long.Parse(await RunAsync("post", title, html), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A user with a role (editor, author, …), created if missing; returns its id.</summary>
    public async Task<long> UserAsync(string login, string role) =>
        long.Parse(await RunAsync("user", login, role), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A new application password of the user, as WordPress shows it once (groups of four).</summary>
    public Task<string> AppPasswordAsync(string login) => RunAsync("app-password", login);

    /// <summary>A comment's status as WordPress itself has it: approved, hold, spam, trash, or none.</summary>
    public Task<string> CommentStatusAsync(long commentId) => RunAsync("comment-status", commentId.ToString());

    /// <summary>
    /// Posts a comment through the blog's own comment form, as an anonymous reader does (wp-comments-post.php);
    /// returns its id from WordPress's redirect. With comment moderation on, WordPress holds it.
    /// </summary>
    public async Task<long> PostCommentAsReaderAsync(long postId, string author, string text)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["comment_post_ID"] = postId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["author"] = author,
            ["email"] = author.ToLowerInvariant().Replace(' ', '.') + "@reader.example",
            ["url"] = string.Empty,
            ["comment"] = text,
        });
        using var response = await http.PostAsync(new Uri(Url, "wp-comments-post.php"), form);
        var location = response.Headers.Location?.ToString() ?? string.Empty;
        var id = System.Text.RegularExpressions.Regex.Match(location, @"#comment-(\d+)");
        Assert.True(id.Success, $"WordPress did not take the comment ({(int)response.StatusCode}): {location} {await response.Content.ReadAsStringAsync()}");
        return long.Parse(id.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Stops the blog's web server (the data stays): a blog that is down.</summary>
    public Task StopWebAsync() => ControlAsync("stop-web");

    /// <summary>Starts the blog's web server again.</summary>
    public Task StartWebAsync() => ControlAsync("start-web");

    private async Task ControlAsync(string command)
    {
        var (code, output) = await Tool.RunAsync("/bin/bash", [Path.Combine(Path.GetDirectoryName(_script)!, "wordpress.sh"), command]);
        Assert.True(code == 0, $"wordpress.sh {command} failed ({code}): {output}");
    }

    private async Task<string> RunAsync(params string[] args)
    {
        var (code, output) = await Tool.RunAsync("/usr/bin/php", [_script, .. args]);
        Assert.True(code == 0, $"php site.php {string.Join(' ', args)} failed ({code}): {output}");
        // The answer is the last line; PHP's notices (a missing sendmail at install) come before it.
        return output.Trim().Split('\n')[^1].Trim();
    }
}

internal sealed record BlogTruth(List<TruePost> Posts, List<TrueComment> Comments, List<string> NeverShown);

internal sealed record TruePost(long Id, string Title, string Link, string Guid, string DateGmt, string ModifiedGmt, string Content, int Comments);

internal sealed record TrueComment(long Id, long Post, long Parent, string Type, string Author, string AuthorUrl, string DateGmt, string Content, string Text, string Link)
{
    [JsonIgnore]
    public DateTimeOffset Date => DateTimeOffset.Parse(DateGmt + "Z", System.Globalization.CultureInfo.InvariantCulture);
}
