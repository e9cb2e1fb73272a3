using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace AgleaFeeds.Model;

/// <summary>
/// The hash that tells whether stored content changed (a post's title and bodies) or, for a comment without an id,
/// makes its key: SHA-256 of the parts' UTF-8 joined by U+001F, its first 128 bits in lowercase hex.
/// </summary>
public static class ContentHash
{
    /// <summary>The hash of <paramref name="parts"/> (null as empty). The bytes are encoded into one pooled buffer, not a
    /// joined string and its copy: a first sync hashes every post and every comment without an id.</summary>
    public static string Of(params string?[] parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var max = parts.Length;
        foreach (var part in parts)
        {
            max += Encoding.UTF8.GetMaxByteCount(part?.Length ?? 0);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var length = 0;
            for (var i = 0; i < parts.Length; i++)
            {
                if (i > 0)
                {
                    buffer[length++] = 0x1f;
                }

                length += Encoding.UTF8.GetBytes(parts[i] ?? string.Empty, buffer.AsSpan(length));
            }

            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, length), digest);
            return Convert.ToHexStringLower(digest[..16]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
