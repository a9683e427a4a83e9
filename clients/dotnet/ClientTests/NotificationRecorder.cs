using System.Net;
using System.Text.Json;
using IvrBot.Local;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClientTests;

/// <summary>
/// A bot's https callback that keeps every notification (each commsNotification of each POST) and
/// answers 202, for tests that drive the API with Microsoft.Graph, which has no notification handling.
/// </summary>
public sealed class NotificationRecorder : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly List<JsonElement> received = [];
    private readonly SemaphoreSlim arrived = new(0);

    private NotificationRecorder(WebApplication app) => this.app = app;

    public Uri CallbackUri { get; private set; } = null!;

    public static async Task<NotificationRecorder> StartAsync(LocalCa ca)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(ca.IssueServerCertificate())));
        var recorder = new NotificationRecorder(builder.Build());
        recorder.app.MapPost("/callback", async (HttpContext context) =>
        {
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            lock (recorder.received) recorder.received.AddRange(body.RootElement.GetProperty("value").EnumerateArray().Select(n => n.Clone()));
            recorder.arrived.Release();
            return Results.Accepted();
        });
        await recorder.app.StartAsync();
        var address = recorder.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        recorder.CallbackUri = new Uri(new Uri(address), "/callback");
        return recorder;
    }

    public IReadOnlyList<JsonElement> Received { get { lock (received) return [.. received]; } }

    /// <summary>The first notification that matches, waiting for it to arrive.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        using var patience = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var found = Received.Where(match).ToList();
            if (found.Count > 0) return found[0];
            try { await arrived.WaitAsync(patience.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"No such notification; received:\n{string.Join("\n", Received)}"); }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
