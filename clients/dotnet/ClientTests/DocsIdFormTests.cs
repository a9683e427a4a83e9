using System.Net;
using System.Text.Json;
using IvrBot.Local;
using Microsoft.Graph.Communications.Calls;
using Microsoft.Graph.Communications.Common.Telemetry;
using Microsoft.Graph.Models;

namespace ClientTests;

/// <summary>
/// Why notifications name calls by the ids the API returned: with NOTIFICATION_ID_FORM=docs (the docs'
/// upper-case dash-less ids) the Communications SDK accepts each notification but finds no call object
/// for it, so its call never leaves Establishing.
/// </summary>
public sealed class DocsIdFormTests : IAsyncLifetime
{
    private LocalService service = null!;

    public async Task InitializeAsync() => service = await LocalService.StartAsync(new Dictionary<string, string> { ["NOTIFICATION_ID_FORM"] = "docs" });

    public async Task DisposeAsync() => await service.DisposeAsync();

    [Fact(Timeout = 60_000)]
    public async Task The_SDK_cannot_route_notifications_that_name_the_call_in_the_docs_form()
    {
        var app = await TestApp.CreateAsync(service);
        using var logger = new GraphLogger("ClientTests", redirectToTrace: false);
        await using var bot = await LocalBot.StartAsync("ClientTests", app.AppId, service.HttpsRoot, service.Ca, app.TokenSource, logger);
        var established = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        bot.Listener.Processed += (body, status) =>
        {
            var n = JsonDocument.Parse(body).RootElement.GetProperty("value")[0];
            if (status == HttpStatusCode.Accepted && n.GetProperty("resourceData").TryGetProperty("state", out var state) && state.GetString() == "established") established.TrySetResult(n.GetProperty("resourceUrl").GetString()!);
        };

        var call = await bot.Client.Calls().AddAsync(CommunicationsSdkTests.Outgoing());
        var resourceUrl = await established.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal($"/communications/calls/{call.Id.Replace("-", "").ToUpperInvariant()}", resourceUrl);
        Assert.Equal(CallState.Establishing, call.Resource.State);
        Assert.Equal(CallState.Established, (await app.Graph.Communications.Calls[call.Id].GetAsync())!.State);
    }
}
