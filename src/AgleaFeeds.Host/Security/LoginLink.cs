using System.Security.Cryptography;
using System.Text;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Security;

/// <summary>
/// The start-up login link, as Jupyter has: a random one-time token, printed at start and written
/// under the data folder (readable by whoever runs the service), that opens a moderator session.
/// Once used, a new one replaces it in the file.
/// </summary>
internal sealed class LoginLink(IOptions<StorageOptions> storage)
{
    public const string OperatorName = "operator";
    private readonly Lock _gate = new();
    private byte[] _token = [];
    private string? _baseUrl;

    /// <summary>Gets the file the current link is written to.</summary>
    public string FilePath { get; } = Path.Combine(storage.Value.DataDirectory, "login-link.txt");

    /// <summary>Makes a new token for the service at <paramref name="baseUrl"/>; returns the link and writes it to <see cref="FilePath"/>.</summary>
    public string Renew(string baseUrl)
    {
        lock (_gate)
        {
            _baseUrl = baseUrl.TrimEnd('/');
            return RenewLocked();
        }
    }

    private string RenewLocked()
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _token = Encoding.ASCII.GetBytes(token);
        var link = $"{_baseUrl}/login?token={token}";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(FilePath))!);
        // Created readable by the service's user alone: the link is a moderator's key.
        var file = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            file.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var writer = new StreamWriter(FilePath, new UTF8Encoding(false), file))
        {
            writer.WriteLine(link);
        }

        return link;
    }

    /// <summary>Whether <paramref name="token"/> is the current one (compared in constant time); a match is used up.</summary>
    public bool TryConsume(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        lock (_gate)
        {
            if (_token.Length == 0 || !CryptographicOperations.FixedTimeEquals(_token, Encoding.ASCII.GetBytes(token)))
            {
                return false;
            }

            // Used up: the file gets the next link (or none is valid until the service prints one).
            if (_baseUrl is null)
            {
                _token = [];
            }
            else
            {
                RenewLocked();
            }

            return true;
        }
    }
}
