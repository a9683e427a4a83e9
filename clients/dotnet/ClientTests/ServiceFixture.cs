using IvrBot.Local;
using Microsoft.Graph;

namespace ClientTests;

/// <summary>One service for the test run (tests use an app id each, so their calls never meet).</summary>
public sealed class ServiceFixture : IAsyncLifetime
{
    public LocalService Service { get; private set; } = null!;

    public async Task InitializeAsync() => Service = await LocalService.StartAsync();

    public async Task DisposeAsync() => await Service.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ServiceCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "the local service";
}

/// <summary>A bot of its own (a fresh app id) on the service: its token, Microsoft.Graph, the caller's side.</summary>
public sealed class TestApp
{
    private TestApp(LocalService service, string appId, string token)
    {
        Service = service;
        AppId = appId;
        Token = token;
        Graph = LocalGraph.Create(service.GraphBaseUrl, service.Ca, _ => Task.FromResult(token));
    }

    public LocalService Service { get; }
    public string AppId { get; }
    public string Token { get; }
    public GraphServiceClient Graph { get; }

    public static async Task<TestApp> CreateAsync(LocalService service)
    {
        var appId = Guid.NewGuid().ToString();
        return new TestApp(service, appId, await service.TokenAsync(appId));
    }

    public Func<CancellationToken, Task<string>> TokenSource => _ => Task.FromResult(Token);

    /// <summary>The caller presses keys (DTMF characters).</summary>
    public Task PressAsync(string callId, params string[] tones) => Service.EmulatorAsync(Token, $"emulator/calls/{callId}/tones", new { tones });

    /// <summary>Someone calls this bot; returns the incoming call's id.</summary>
    public async Task<string> RingAsync(Uri callbackUri) =>
        (await Service.EmulatorAsync(Token, "emulator/incomingCalls", new { callbackUri = callbackUri.ToString() }))!.Value.GetProperty("id").GetString()!;
}
