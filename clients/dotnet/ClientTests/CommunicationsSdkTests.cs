using System.Net;
using IvrBot.Local;
using Microsoft.Graph.Communications.Calls;
using Microsoft.Graph.Communications.Common.Telemetry;
using Microsoft.Graph.Models;
using Xunit.Abstractions;

namespace ClientTests;

/// <summary>
/// The Communications calling SDK (Microsoft.Graph.Communications.* 1.2.0.18742), unmodified: its
/// stateful call objects follow the call through the SDK's own notification processing, behind an
/// https listener with a certificate from the local CA.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class CommunicationsSdkTests(ServiceFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>The local issuer's tenant (npm run token's default).</summary>
    public const string LocalTenant = "00000000-0000-4000-8000-000000000001";

    private TestApp app = null!;
    private LocalBot bot = null!;
    private readonly GraphLogger logger = new("ClientTests", redirectToTrace: false);

    public async Task InitializeAsync()
    {
        app = await TestApp.CreateAsync(fixture.Service);
        logger.Subscribe(new ErrorsToOutput(output));
        bot = await LocalBot.StartAsync("ClientTests", app.AppId, fixture.Service.HttpsRoot, fixture.Service.Ca, app.TokenSource, logger);
        bot.Listener.Processed += (body, status) =>
        {
            if (status == HttpStatusCode.Accepted) return;
            try { output.WriteLine($"notification answered {status}: {body}"); } catch (InvalidOperationException) { }
        };
    }

    public async Task DisposeAsync()
    {
        await bot.DisposeAsync();
        logger.Dispose();
    }

    public static Call Outgoing(string user = "john") => new()
    {
        Targets = [new InvitationParticipantInfo { Identity = new IdentitySet { User = new Identity { Id = user, DisplayName = user } } }],
        RequestedModalities = [Modality.Audio],
        MediaConfig = new ServiceHostedMediaConfig(),
        TenantId = LocalTenant,
    };

    private static MediaPrompt Prompt(string name) => new() { MediaInfo = new MediaInfo { Uri = $"https://cdn.example.com/{name}.wav", ResourceId = name } };

    private async Task<(ICall Call, CallEvents Events)> EstablishedCallAsync(string user = "john")
    {
        var call = await bot.Client.Calls().AddAsync(Outgoing(user));
        var events = new CallEvents(call);
        await events.WaitForStateAsync(CallState.Established);
        return (call, events);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_call_is_established_plays_hears_tones_and_ends_through_the_SDKs_own_notification_processing()
    {
        var (call, events) = await EstablishedCallAsync();

        var played = await call.PlayPromptAsync([Prompt("welcome")]);
        Assert.Equal((200, 0), (played.ResultInfo.Code, played.ResultInfo.Subcode));

        await call.SubscribeToToneAsync();
        await app.PressAsync(call.Id, "1", "#");
        Assert.Equal(Tone.Tone1, (await events.WaitForToneAsync(1)).Tone);
        Assert.Equal(Tone.Pound, (await events.WaitForToneAsync(2)).Tone);

        await call.DeleteAsync();
        await events.WaitForStateAsync(CallState.Terminated);
        Assert.Equal((200, 7000), (call.Resource.ResultInfo!.Code, call.Resource.ResultInfo.Subcode));
    }

    [Fact(Timeout = 60_000)]
    public async Task Cancels_sends_DTMF_keeps_alive_and_updates_the_recording_status_through_the_SDK()
    {
        var (call, _) = await EstablishedCallAsync();

        var queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var playing = call.PlayPromptAsync([Prompt("long-1"), Prompt("long-2"), Prompt("long-3")], queued.SetResult);
        await queued.Task;
        await call.CancelMediaProcessingAsync();
        await AssertCancelledAsync(playing);

        var dtmf = await call.SendDtmfTonesAsync([Tone.Tone1, Tone.Pound], 50);
        Assert.Equal((200, 0), (dtmf.ResultInfo.Code, dtmf.ResultInfo.Subcode));
        await call.KeepAliveAsync();
        await call.UpdateRecordingStatusAsync(RecordingStatus.Recording);
        await call.DeleteAsync();
    }

    [Fact(Timeout = 60_000)]
    public async Task Records_through_Microsoft_Graph_because_the_SDKs_RecordResponseAsync_never_completes()
    {
        var (call, _) = await EstablishedCallAsync();

        // 1.2.0.18742 waits for a client context other than the one it sends, so it misses the
        // operation's end (the SDK logs "Operation with context ... is not found").
        using var giveUp = new CancellationTokenSource();
        var sdkRecording = call.RecordResponseAsync(maxRecordDurationInSeconds: 1, initialSilenceTimeoutInSeconds: 5, maxSilenceTimeoutInSeconds: 5, bargeInAllowed: false, playBeep: false, prompts: null, stopTones: ["#"], cancellationToken: giveUp.Token);
        await WaitForOperationAsync("#microsoft.graph.recordOperation", "completed");
        Assert.False(sdkRecording.IsCompleted);
        giveUp.Cancel();

        // Microsoft.Graph on the same call records; its end reaches the bot like any other.
        var graphCall = app.Graph.Communications.Calls[call.Id];
        var recording = await graphCall.RecordResponse.PostAsync(new() { ClientContext = "message", MaxRecordDurationInSeconds = 1, PlayBeep = false });
        await WaitForOperationAsync("#microsoft.graph.recordOperation", "completed", recording!.Id);
        var recorded = Assert.IsType<RecordOperation>(await graphCall.Operations[recording.Id].GetAsync());
        Assert.Equal((200, 8515), (recorded.ResultInfo!.Code, recorded.ResultInfo.Subcode));
        Assert.StartsWith($"{fixture.Service.HttpsRoot}recordings/{call.Id}/", recorded.RecordingLocation);
        await call.DeleteAsync();
    }

    /// <summary>Waits until the SDK has processed a notification of an operation of this type in this status.</summary>
    private async Task WaitForOperationAsync(string type, string status, string? id = null)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check(string body, HttpStatusCode _)
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            foreach (var n in json.RootElement.GetProperty("value").EnumerateArray())
            {
                var data = n.GetProperty("resourceData");
                if (data.ValueKind == System.Text.Json.JsonValueKind.Object && data.TryGetProperty("@odata.type", out var t) && t.GetString() == type
                    && data.TryGetProperty("status", out var s) && s.GetString() == status && (id is null || data.GetProperty("id").GetString() == id)) seen.TrySetResult();
            }
        }
        bot.Listener.Processed += Check;
        try { await seen.Task.WaitAsync(TimeSpan.FromSeconds(20)); }
        finally { bot.Listener.Processed -= Check; }
    }

    [Fact(Timeout = 60_000)]
    public async Task What_Microsoft_Graph_does_to_the_call_reaches_the_SDKs_call_object()
    {
        var (call, events) = await EstablishedCallAsync();
        var graphCall = app.Graph.Communications.Calls[call.Id];

        var queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var playing = call.PlayPromptAsync([Prompt("long-1"), Prompt("long-2"), Prompt("long-3")], queued.SetResult);
        await queued.Task;
        await graphCall.CancelMediaProcessing.PostAsync(new() { ClientContext = "from Microsoft.Graph" });
        await AssertCancelledAsync(playing);

        await graphCall.SubscribeToTone.PostAsync(new());
        await app.PressAsync(call.Id, "7");
        Assert.Equal(Tone.Tone7, (await events.WaitForToneAsync(1)).Tone);

        await graphCall.DeleteAsync();
        await events.WaitForStateAsync(CallState.Terminated);
    }

    [Fact(Timeout = 60_000)]
    public async Task Each_notification_reaches_the_call_object_it_names()
    {
        var (first, firstEvents) = await EstablishedCallAsync("john");
        var (second, secondEvents) = await EstablishedCallAsync("jane");
        await first.SubscribeToToneAsync();
        await second.SubscribeToToneAsync();

        await app.PressAsync(second.Id, "5");
        Assert.Equal(Tone.Tone5, (await secondEvents.WaitForToneAsync(1)).Tone);
        await app.PressAsync(first.Id, "9");
        Assert.Equal(Tone.Tone9, (await firstEvents.WaitForToneAsync(1)).Tone);
        Assert.Equal([Tone.Tone9], firstEvents.Tones.Select(t => t.Tone));
        Assert.Equal([Tone.Tone5], secondEvents.Tones.Select(t => t.Tone));

        await first.DeleteAsync();
        await firstEvents.WaitForStateAsync(CallState.Terminated);
        Assert.Equal(CallState.Established, second.Resource.State);
        Assert.Equal([second.Id], bot.Client.Calls().Select(c => c.Id));
    }

    [Fact(Timeout = 60_000)]
    public async Task An_incoming_call_arrives_through_OnIncoming_and_is_answered()
    {
        var incoming = new TaskCompletionSource<ICall>(TaskCreationOptions.RunContinuationsAsynchronously);
        bot.Client.Calls().OnIncoming += (_, args) => { foreach (var call in args.AddedResources) incoming.TrySetResult(call); };
        var callId = await app.RingAsync(bot.Listener.CallbackUri);

        var ringing = await incoming.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal((callId, CallState.Incoming), (ringing.Id, ringing.Resource.State));
        var events = new CallEvents(ringing);
        await ringing.AnswerAsync([Modality.Audio]);
        await events.WaitForStateAsync(CallState.Established);
        await ringing.DeleteAsync();
    }

    private static async Task AssertCancelledAsync(Task<PlayOperationResult> playing)
    {
        try
        {
            var result = await playing.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal((400, 8508), (result.ResultInfo.Code, result.ResultInfo.Subcode));
        }
        catch (Microsoft.Graph.ServiceException cancelled)
        {
            // The SDK throws for an operation that ends failed, with Graph's message.
            Assert.Contains("the operation was cancelled", cancelled.Message);
        }
    }

    private sealed class ErrorsToOutput(ITestOutputHelper output) : IObserver<LogEvent>
    {
        public void OnCompleted() { }
        public void OnError(Exception error) { }
        public void OnNext(LogEvent value)
        {
            if (value.Level > System.Diagnostics.TraceLevel.Warning) return;
            try { output.WriteLine($"SDK {value.Level}: {value.Message}"); } catch (InvalidOperationException) { }
        }
    }
}
