using AgleaFeeds.Moderation;
using Microsoft.AspNetCore.DataProtection;

namespace AgleaFeeds.Host.WordPress;

/// <summary>Secrets at rest through ASP.NET Core Data Protection, its keys in the data folder (Storage:DataDirectory/keys).</summary>
internal sealed class DataProtectionSecretBox(IDataProtectionProvider provider) : ISecretBox
{
    private readonly IDataProtector _protector = provider.CreateProtector("AgleaFeeds.WordPress.ApplicationPassword.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string protectedSecret) => _protector.Unprotect(protectedSecret);
}
