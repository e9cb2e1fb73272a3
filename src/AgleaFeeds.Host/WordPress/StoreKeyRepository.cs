using System.Xml.Linq;
using AgleaFeeds.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace AgleaFeeds.Host.WordPress;

/// <summary>
/// Data Protection's keys in the store (on PostgreSQL): every host on the database protects and unprotects with
/// the same key ring, so an application password encrypted on one host is read on another, and a form's
/// antiforgery token from one host is accepted by the next.
/// </summary>
internal sealed class StoreKeyRepository(FeedStore store, TimeProvider time) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() =>
        store.ListProtectionKeys().Select(x => XElement.Parse(x)).ToList();

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        store.SaveProtectionKey(friendlyName, element.ToString(SaveOptions.DisableFormatting), time.GetUtcNow());
    }
}
