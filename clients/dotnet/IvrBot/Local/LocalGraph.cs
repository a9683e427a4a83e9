using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Authentication;

namespace IvrBot.Local;

/// <summary>Microsoft.Graph for .NET (v5, Kiota) pointed at the local service.</summary>
public static class LocalGraph
{
    /// <summary>
    /// A GraphServiceClient for <paramref name="graphBaseUrl"/> (with the version, e.g.
    /// https://127.0.0.1:7443/v1.0): Graph's own middleware (retries, redirects, telemetry), the local
    /// CA trusted for the service, and a token provider that allows the service's host.
    /// </summary>
    public static GraphServiceClient Create(Uri graphBaseUrl, LocalCa ca, Func<CancellationToken, Task<string>> token)
    {
        var authentication = new BaseBearerTokenAuthenticationProvider(new LocalTokenProvider(token, graphBaseUrl.Host));
        var http = GraphClientFactory.Create(GraphClientFactory.CreateDefaultHandlers(), finalHandler: ca.TrustingHandler());
        return new GraphServiceClient(http, authentication, graphBaseUrl.ToString().TrimEnd('/'));
    }
}
