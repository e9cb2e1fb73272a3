namespace AgleaFeeds.Moderation;

/// <summary>Encrypts secrets kept at rest (a blog's application password); the host's is ASP.NET Core Data Protection.</summary>
public interface ISecretBox
{
    /// <summary>The secret as ciphertext, safe to store.</summary>
    string Protect(string secret);

    /// <summary>The secret again; throws <see cref="System.Security.Cryptography.CryptographicException"/> when the keys that protected it are gone.</summary>
    string Unprotect(string protectedSecret);
}
