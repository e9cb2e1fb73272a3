using AgleaFeeds.Model;

namespace AgleaFeeds.Tests.Model;

public class ContentHashTests
{
    [Fact]
    public void Of_PartsWithNullAndNonAscii_IsTheStoredHashOfTheirJoinedUtf8()
    {
        // Stores keep these hashes: if they moved, every stored post would read as changed after an upgrade.
        // Expected values from Python: hashlib.sha256('Jack Ma\x1f\x1f<p>…</p>'.encode()).hexdigest()[:32].
        Assert.Equal("24917390ea8d3ca09ae93cf7de8fb140", ContentHash.Of("Jack Ma", null, "<p>Learn from failure – share 🙂</p>"));
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb924", ContentHash.Of(string.Empty));
    }

    [Fact]
    public void Of_ALongBody_DiffersWhenOneCharacterChanges()
    {
        var body = new string('x', 100_000);
        Assert.NotEqual(ContentHash.Of("T", body), ContentHash.Of("T", body[..^1] + "y"));
        Assert.Equal(ContentHash.Of("T", body), ContentHash.Of("T", new string('x', 100_000)));
    }
}
