using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace AgleaFeeds.Host.Endpoints;

/// <summary>
/// The offline sample blog (<c>feeds/samples</c>) under /samples/, served the way WordPress serves a
/// blog: /feed/ is an RSS document, a post's address its page, conditional GET answered. Its files
/// name their own address as <see cref="Origin"/>; each response names the address it was asked at
/// instead, so the sample works on whatever address and port the service listens on.
/// </summary>
internal static class SampleBlog
{
    /// <summary>The placeholder origin the sample files are written with (.invalid never resolves).</summary>
    public const string Origin = "http://sample.agleafeeds.invalid";

    public static void Map(WebApplication app, string? folder)
    {
        if (string.IsNullOrWhiteSpace(folder) || !Directory.Exists(folder))
        {
            return;
        }

        var files = new PhysicalFileProvider(Path.GetFullPath(folder));
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".xml"] = "application/rss+xml; charset=UTF-8";
        types.Mappings[".html"] = "text/html; charset=UTF-8";
        app.MapMethods("/samples/{**path}", ["GET", "HEAD"], (HttpContext http, string? path) => ServeAsync(http, files, types, path ?? string.Empty));
    }

    private static async Task ServeAsync(HttpContext http, PhysicalFileProvider files, FileExtensionContentTypeProvider types, string path)
    {
        var file = Find(files, path, out var isFolder);
        if (file is null)
        {
            if (isFolder)
            {
                // As WordPress does: a post's address without its trailing slash is redirected to it.
                http.Response.Redirect(http.Request.PathBase + http.Request.Path + "/" + http.Request.QueryString, permanent: true);
                return;
            }

            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var type = types.TryGetContentType(file.Name, out var t) ? t : "application/octet-stream";
        byte[] body;
        await using (var stream = file.CreateReadStream())
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
            body = buffer.ToArray();
        }

        if (type.StartsWith("text/", StringComparison.Ordinal) || type.Contains("xml", StringComparison.Ordinal))
        {
            var origin = $"{http.Request.Scheme}://{http.Request.Host}";
            body = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace(Origin, origin, StringComparison.Ordinal));
        }

        var modified = DateTimeOffset.FromUnixTimeSeconds(file.LastModified.ToUnixTimeSeconds());
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(body).AsSpan(0, 8)) + "\"";
        await ConditionalResponse.WriteAsync(http, body, type, etag, modified).ConfigureAwait(false);
    }

    /// <summary>The file for a path: itself, or a folder's index.xml or index.html; null when none (<paramref name="isFolder"/> when the path names a folder without its slash).</summary>
    private static IFileInfo? Find(PhysicalFileProvider files, string path, out bool isFolder)
    {
        isFolder = false;
        if (path.Length > 0 && !path.EndsWith('/'))
        {
            var direct = files.GetFileInfo(path);
            if (direct.Exists && !direct.IsDirectory)
            {
                return direct;
            }

            isFolder = files.GetDirectoryContents(path).Exists;
            return null;
        }

        foreach (var index in new[] { "index.xml", "index.html" })
        {
            var candidate = files.GetFileInfo(path + index);
            if (candidate.Exists)
            {
                return candidate;
            }
        }

        return null;
    }
}
