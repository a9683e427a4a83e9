using System.Text;
using IvrBot;
using IvrBot.Local;
using Microsoft.Graph.Communications.Calls;
using Microsoft.Graph.Communications.Common.Telemetry;
using Microsoft.Graph.Models;

namespace ClientTests;

/// <summary>The IVR sample (IvrBot/Ivr.cs) against the service, with the emulator as the caller.</summary>
[Collection(ServiceCollection.Name)]
public sealed class IvrSampleTests(ServiceFixture fixture)
{
    private sealed class Log : StringWriter
    {
        private readonly SemaphoreSlim written = new(0);
        public override void WriteLine(string? value) { base.WriteLine(value); written.Release(); }
        public async Task WaitForAsync(string text)
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (!ToString().Contains(text)) await written.WaitAsync(patience.Token);
        }
    }

    private async Task<string> RunAsync(string key)
    {
        var app = await TestApp.CreateAsync(fixture.Service);
        using var logger = new GraphLogger("IvrBot", redirectToTrace: false);
        await using var bot = await LocalBot.StartAsync("IvrBot", app.AppId, fixture.Service.HttpsRoot, fixture.Service.Ca, app.TokenSource, logger);
        var call = await bot.Client.Calls().AddAsync(CommunicationsSdkTests.Outgoing());
        var log = new Log();
        var ivr = new Ivr(call, app.Graph, log, new Uri("https://cdn.example.com/ivr/")).RunAsync();

        await log.WaitForAsync("played welcome + menu");
        await app.PressAsync(call.Id, key);
        if (key == "1")
        {
            await log.WaitForAsync("recording (press # to end it)");
            await app.PressAsync(call.Id, "#");
        }
        await ivr.WaitAsync(TimeSpan.FromSeconds(30));
        return log.ToString();
    }

    [Fact(Timeout = 90_000)]
    public async Task Pressing_1_records_a_message_ended_with_pound_then_hangs_up()
    {
        var log = await RunAsync("1");
        Assert.Contains("caller pressed Tone1", log);
        Assert.Matches(@"recorded https://127\.0\.0\.1:\d+/recordings/\S+ \(200/8514 ", log);
        Assert.Contains("call Terminated (200/7000", log);
    }

    [Fact(Timeout = 90_000)]
    public async Task Pressing_0_transfers_to_the_agent()
    {
        var log = await RunAsync("0");
        Assert.Contains("transferring to agent-7", log);
        Assert.Contains("call Terminated (0/7015", log);
    }
}
