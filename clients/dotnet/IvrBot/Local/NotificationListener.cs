using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Graph.Communications.Client;

namespace IvrBot.Local;

/// <summary>
/// The bot's https endpoint for notifications (the Communications SDK refuses an http notification
/// URL): each POST to <c>/api/calling</c> goes to the SDK's own processing, whose answer (202, or
/// 400/401 with a reason) goes back to the service.
/// </summary>
public sealed class NotificationListener : IAsyncDisposable
{
    public const string CallbackPath = "/api/calling";
    private readonly WebApplication app;
    private ICommunicationsClient? client;

    private NotificationListener(WebApplication app) => this.app = app;

    /// <summary>The callback URL to give SetNotificationUrl.</summary>
    public Uri CallbackUri { get; private set; } = null!;

    /// <summary>Listens on 127.0.0.1:port (0: a free port) with a certificate from the local CA.</summary>
    public static async Task<NotificationListener> StartAsync(LocalCa ca, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var certificate = ca.IssueServerCertificate();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate)));
        var listener = new NotificationListener(builder.Build());
        listener.app.MapPost(CallbackPath, listener.HandleAsync);
        await listener.app.StartAsync();
        var address = listener.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        listener.CallbackUri = new Uri(new Uri(address.Replace("0.0.0.0", "127.0.0.1")), CallbackPath);
        return listener;
    }

    /// <summary>Each notification POST as received (its JSON body) with the status the SDK answered.</summary>
    public event Action<string, HttpStatusCode>? Processed;

    /// <summary>Notifications go to this client from now on (build it with <see cref="CallbackUri"/> first).</summary>
    public void Attach(ICommunicationsClient communicationsClient) => client = communicationsClient;

    private async Task HandleAsync(HttpContext context)
    {
        if (client is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        using var request = ToRequestMessage(context.Request, body);
        using var response = await client.ProcessNotificationAsync(request);
        Processed?.Invoke(body, response.StatusCode);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content is not null) await response.Content.CopyToAsync(context.Response.Body);
    }

    private static HttpRequestMessage ToRequestMessage(HttpRequest request, string body)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Method), request.GetEncodedUrl()) { Content = new StringContent(body) };
        message.Content.Headers.Clear();
        foreach (var (name, values) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values)) message.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
