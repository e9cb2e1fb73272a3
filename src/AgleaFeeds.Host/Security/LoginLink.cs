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
            var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            _token = Encoding.ASCII.GetBytes(token);
            var link = $"{_baseUrl}/login?token={token}";
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(FilePath))!);
            File.WriteAllText(FilePath, link + Environment.NewLine);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            return link;
        }
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

            _token = [];
            if (_baseUrl is not null)
            {
                Renew(_baseUrl);
            }

            return true;
        }
    }
}
