using Microsoft.Graph.Communications.Client;
using Microsoft.Graph.Communications.Common.Telemetry;

namespace IvrBot.Local;

/// <summary>
/// A Communications SDK client against the local service, with its https notification listener:
/// what a bot's start-up does with Graph, pointed at <c>npm start</c>'s https listener instead.
/// </summary>
public sealed class LocalBot : IAsyncDisposable
{
    private LocalBot(ICommunicationsClient client, NotificationListener listener)
    {
        Client = client;
        Listener = listener;
    }

    public ICommunicationsClient Client { get; }
    public NotificationListener Listener { get; }

    /// <param name="serviceRoot">The service's https root, e.g. https://127.0.0.1:7443 (the Graph base URL adds /v1.0).</param>
    /// <param name="listenPort">The notification listener's port on 127.0.0.1 (0: a free one).</param>
    public static async Task<LocalBot> StartAsync(string appName, string appId, Uri serviceRoot, LocalCa ca, Func<CancellationToken, Task<string>> token, IGraphLogger logger, int listenPort = 0)
    {
        var listener = await NotificationListener.StartAsync(ca, listenPort);
        var http = new HttpClient(ca.TrustingHandler());
        var validator = new NotificationTokenValidator(new Uri(serviceRoot, ".well-known/openid-configuration"), appId, http);
#pragma warning disable GRAPHCOMM_AUTH_0001 // SetAuthentication's provider trusts Entra ID's issuers only; this service signs its own tokens.
        var client = new CommunicationsClientBuilder(appName, appId, logger)
            .SetAuthenticationProvider(new LocalAuthenticationProvider(token, validator))
#pragma warning restore GRAPHCOMM_AUTH_0001
            .SetServiceBaseUrl(new Uri(serviceRoot, "v1.0"))
            .SetNotificationUrl(listener.CallbackUri)
            .SetHttpClient(http)
            .Build();
        listener.Attach(client);
        return new LocalBot(client, listener);
    }

    public async ValueTask DisposeAsync()
    {
        // Ends the client's calls that are still up (their last notifications still need the
        // listener), then disposes the client.
        try { await Client.TerminateAsync(TimeSpan.FromSeconds(10)); }
        catch (TimeoutException) { } // a call whose end never reached the bot: nothing more to do on the way out
        await Listener.DisposeAsync();
    }
}
