namespace AgleaFeeds.Host.Tests.Fixtures;

/// <summary>A browser elsewhere: its requests reach the host through a local reverse proxy that says who it is.</summary>
internal sealed class ForwardedFor(string address) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Add("X-Forwarded-For", address);
        return base.SendAsync(request, cancellationToken);
    }
}
