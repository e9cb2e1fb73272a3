using System.Globalization;
using System.Text.Json;
using AgleaFeeds.Fetching;
using AgleaFeeds.Model;
using AgleaFeeds.Polling;
using AgleaFeeds.Storage;

namespace AgleaFeeds.Moderation;

/// <summary>The comment statuses of WordPress's REST API and what they are here.</summary>
public static class BlogStatuses
{
    public const string Approved = "approved";
    public const string Hold = "hold";
    public const string Spam = "spam";
    public const string Trash = "trash";

    /// <summary>What a decision here is on the blog: approve → approved, spam → spam, reject → trash, restore → hold.</summary>
    public static string Of(CommentStatus status) => status switch
    {
        CommentStatus.Approved => Approved,
        CommentStatus.Spam => Spam,
        CommentStatus.Rejected => Trash,
        _ => Hold,
    };

    /// <summary>What a status on the blog is here; null for one this service does not know.</summary>
    public static CommentStatus? ToStatus(string? status) => status switch
    {
        Approved or "approve" or "1" => CommentStatus.Approved,
        Hold or "0" => CommentStatus.Pending,
        Spam => CommentStatus.Spam,
        Trash => CommentStatus.Rejected,
        _ => null,
    };
}

/// <summary>What checking a connection found: the user as WordPress knows them, or a plain reason it cannot be used.</summary>
public sealed record ConnectionCheck(string? Error, string? DisplayName = null, IReadOnlyList<string>? Roles = null)
{
    public bool Ok => Error is null;
}

/// <summary>The blog's answer about one comment: its status there, that it is gone, or why the question failed.</summary>
public sealed record BlogAnswer(string? Status, string? Error, bool Gone = false, bool Transient = false);

/// <summary>
/// A blog's WordPress REST API with a moderator's application password: checks the credentials
/// (<c>users/me?context=edit</c>), reads the comments only moderators see (<c>status=hold|spam|approve</c>,
/// <c>context=edit</c>), asks and sets one comment's status. Every request through the same fetcher as the
/// feeds (network guard, time and size limits); the credentials only go to the API's own origin.
/// </summary>
public sealed class WordPressModerationApi(FeedFetcher fetcher, WordPressApi api)
{
    /// <summary>Checks that the credentials work and may moderate comments; says plainly what is wrong when not.</summary>
    public async Task<ConnectionCheck> CheckAsync(Uri root, BasicCredential credential, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var url = WordPressApi.Route(root, "wp/v2/users/me", "context=edit");
        var fetch = await fetcher.FetchAsync(new FetchRequest(url) { Credential = credential, KeepErrorBody = true }, ct).ConfigureAwait(false);
        if (fetch.Outcome == FetchOutcome.Ok)
        {
            try
            {
                using var json = JsonDocument.Parse(fetch.Body, new JsonDocumentOptions { MaxDepth = 16 });
                var me = json.RootElement;
                if (me.ValueKind != JsonValueKind.Object || !me.TryGetProperty("id", out _))
                {
                    return new ConnectionCheck($"{root} answered users/me without a user: this does not look like WordPress's REST API.");
                }

                var name = me.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : credential.User;
                var roles = me.TryGetProperty("roles", out var r) && r.ValueKind == JsonValueKind.Array
                    ? r.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList() : [];
                var can = me.TryGetProperty("capabilities", out var caps) && caps.ValueKind == JsonValueKind.Object
                    && caps.TryGetProperty("moderate_comments", out var moderate) && moderate.ValueKind == JsonValueKind.True;
                return can
                    ? new ConnectionCheck(null, name, roles)
                    : new ConnectionCheck($"WordPress user \"{credential.User}\" ({(roles.Count > 0 ? string.Join(", ", roles) : "no role")}) lacks the moderate_comments capability: only Editors and Administrators can moderate comments. Give the user one of those roles, or connect another user.", name, roles);
            }
            catch (JsonException ex)
            {
                return new ConnectionCheck($"{root} answered users/me with something that is not JSON ({ex.Message}): is this the blog's REST API?");
            }
        }

        var code = WordPressErrors.Code(fetch);
        switch (fetch.StatusCode, code?.Code)
        {
            case (_, "incorrect_password"):
                return new ConnectionCheck($"WordPress refused the application password for user \"{credential.User}\": it is wrong or was revoked. Create a new one under Users → Profile → Application Passwords and paste it as shown.");
            case (_, "invalid_username" or "invalid_email"):
                return new ConnectionCheck($"WordPress has no user \"{credential.User}\": use the login name of the user who created the application password.");
            case (_, "application_passwords_disabled"):
                return new ConnectionCheck(NotAvailable(root));
            case (_, "application_passwords_disabled_for_user"):
                return new ConnectionCheck($"Application passwords are turned off for user \"{credential.User}\" (WordPress: {code!.Value.Message}).");
            case (401, "rest_not_logged_in"):
                return await ExplainIgnoredCredentialsAsync(root, ct).ConfigureAwait(false);
            case (401 or 403, { } other) when other.StartsWith("rest_", StringComparison.Ordinal):
                return new ConnectionCheck($"The blog's REST API refuses requests (HTTP {fetch.StatusCode} {other}: {code!.Value.Message}). A security plugin may turn the API off: allow it for logged-in users, then connect again.");
            case (404, _):
                return new ConnectionCheck($"There is no WordPress REST API at {root} (HTTP 404): it may be turned off, or the blog's address is wrong.");
            case (null, _):
                return new ConnectionCheck($"Could not reach {root}: {fetch.Error}");
            default:
                return new ConnectionCheck($"The blog's REST API did not accept the connection: {WordPressErrors.Explain(fetch) ?? fetch.Error}");
        }
    }

    /// <summary>
    /// WordPress answers rest_not_logged_in when it ignored the credentials altogether: application passwords
    /// unavailable (the site is not on HTTPS), or the web server dropped the Authorization header.
    /// </summary>
    private async Task<ConnectionCheck> ExplainIgnoredCredentialsAsync(Uri root, CancellationToken ct)
    {
        var index = await fetcher.FetchAsync(new FetchRequest(root), ct).ConfigureAwait(false);
        if (index.Outcome == FetchOutcome.Ok)
        {
            try
            {
                using var json = JsonDocument.Parse(index.Body, new JsonDocumentOptions { MaxDepth = 64 });
                if (json.RootElement.ValueKind == JsonValueKind.Object
                    && !(json.RootElement.TryGetProperty("authentication", out var auth) && auth.ValueKind == JsonValueKind.Object && auth.TryGetProperty("application-passwords", out _)))
                {
                    return new ConnectionCheck(NotAvailable(root));
                }
            }
            catch (JsonException)
            {
            }
        }

        return new ConnectionCheck("WordPress did not accept the user name and application password (HTTP 401 rest_not_logged_in): the password is wrong or was revoked, or there is no such user. Create a new one under Users → Profile → Application Passwords and paste it as shown. (If they are right, the web server drops the Authorization header: with Apache and PHP-FPM, pass it on with SetEnvIf Authorization \"(.*)\" HTTP_AUTHORIZATION=$1.)");
    }

    /// <summary>Why WordPress offers no application passwords: HTTPS is missing, or a plugin or setting turned them off.</summary>
    private static string NotAvailable(Uri root) => root.Scheme == Uri.UriSchemeHttps
        ? "Application passwords are not available on this site: a plugin or setting turned them off (WordPress 5.6+ offers them under Users → Profile)."
        : $"Application passwords are not available on this site because it is not on HTTPS: WordPress offers them only over HTTPS (or on a site marked as local). Give the blog a certificate and connect through https://{root.Authority}{root.AbsolutePath}.";

    /// <summary>Reads comments of one status on the blog (hold, spam, approve), newest first, with what only moderators see.</summary>
    public Task<ApiRead<CommentUpsert>> ReadCommentsAsync(Uri root, BasicCredential credential, string status, int max, CancellationToken ct) =>
        api.ReadAsync(root, "wp/v2/comments", $"status={Uri.EscapeDataString(status)}&context=edit&orderby=date_gmt&order=desc", true, int.MaxValue,
            WordPressApi.ToComment, ct, credential, max);

    /// <summary>Asks the blog for one comment's status now.</summary>
    public async Task<BlogAnswer> GetStatusAsync(Uri root, BasicCredential credential, long id, CancellationToken ct)
    {
        var url = WordPressApi.Route(root, $"wp/v2/comments/{id.ToString(CultureInfo.InvariantCulture)}", "context=edit&_fields=id,status");
        return Answer(await fetcher.FetchAsync(new FetchRequest(url) { Credential = credential, KeepErrorBody = true }, ct).ConfigureAwait(false));
    }

    /// <summary>Sets one comment's status on the blog (approved, hold, spam, trash); the answer is its status afterwards.</summary>
    public async Task<BlogAnswer> SetStatusAsync(Uri root, BasicCredential credential, long id, string status, CancellationToken ct)
    {
        var url = WordPressApi.Route(root, $"wp/v2/comments/{id.ToString(CultureInfo.InvariantCulture)}", "context=edit&_fields=id,status");
        var body = JsonSerializer.Serialize(new { status });
        return Answer(await fetcher.FetchAsync(new FetchRequest(url) { Credential = credential, KeepErrorBody = true, JsonBody = body }, ct).ConfigureAwait(false));
    }

    private static BlogAnswer Answer(FetchResult fetch)
    {
        if (fetch.Outcome == FetchOutcome.Ok)
        {
            try
            {
                using var json = JsonDocument.Parse(fetch.Body, new JsonDocumentOptions { MaxDepth = 16 });
                if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String)
                {
                    return new BlogAnswer(s.GetString(), null);
                }
            }
            catch (JsonException)
            {
            }

            return new BlogAnswer(null, "the blog answered without the comment's status");
        }

        var code = WordPressErrors.Code(fetch);
        if (fetch.StatusCode == 404 && code?.Code is "rest_comment_invalid_id")
        {
            return new BlogAnswer(null, "the comment no longer exists on the blog (deleted for good)", Gone: true);
        }

        // No answer, a 5xx, a 429 or a 408 may pass; a refusal (401, 403, 400) will not by itself.
        var transient = fetch.StatusCode is null or >= 500 or 429 or 408;
        return new BlogAnswer(null, WordPressErrors.Explain(fetch) ?? fetch.Error ?? "no answer", Transient: transient);
    }
}
