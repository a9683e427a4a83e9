using System.Threading.Channels;
using Channel = System.Threading.Channels.Channel;
using Microsoft.Graph;
using Microsoft.Graph.Communications.Calls;
using Microsoft.Graph.Communications.Calls.Item.RecordResponse;
using Microsoft.Graph.Communications.Resources;
using Microsoft.Graph.Models;

namespace IvrBot;

/// <summary>
/// A small IVR on the Communications SDK's stateful call: it waits for the call to be established,
/// listens for keys, plays the menu, then takes the caller's choice: 1 records a message (ended with
/// #), 0 transfers to an agent, anything else says goodbye. Every step it takes and every event the
/// SDK raises is written to <c>log</c>. The recording goes through Microsoft.Graph on the same call:
/// the SDK's RecordResponseAsync (1.2.0.18742) never sees its operation end.
/// </summary>
public sealed class Ivr
{
    private readonly ICall call;
    private readonly GraphServiceClient graph;
    private readonly TextWriter log;
    private readonly Uri prompts;
    private readonly Channel<Tone> keys = Channel.CreateUnbounded<Tone>();
    private readonly TaskCompletionSource established = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="prompts">Where the prompts' audio files are (welcome.wav, menu.wav, ...).</param>
    public Ivr(ICall call, GraphServiceClient graph, TextWriter log, Uri prompts)
    {
        this.call = call;
        this.graph = graph;
        this.log = log;
        this.prompts = prompts;
        call.OnUpdated += OnUpdated;
        OnState(call.Resource.State);
    }

    /// <summary>The agent a caller who presses 0 is transferred to.</summary>
    public string AgentId { get; init; } = "agent-7";

    /// <summary>Runs the IVR to the end of the call; returns the caller's choice.</summary>
    public async Task<Tone> RunAsync(CancellationToken cancellationToken = default)
    {
        await established.Task.WaitAsync(cancellationToken);
        await call.SubscribeToToneAsync(cancellationToken);
        Write("subscribed to tones");
        await PlayAsync(cancellationToken, "welcome", "menu");

        var choice = await keys.Reader.ReadAsync(cancellationToken);
        switch (choice)
        {
            case Tone.Tone1:
                await PlayAsync(cancellationToken, "after-the-beep");
                var recording = await RecordAsync(cancellationToken);
                Write($"recorded {recording.RecordingLocation} ({Result(recording.ResultInfo)})");
                await PlayAsync(cancellationToken, "goodbye");
                await call.DeleteAsync(cancellationToken: cancellationToken);
                Write("hung up");
                break;
            case Tone.Tone0:
                await call.TransferAsync(new InvitationParticipantInfo { Identity = new IdentitySet { User = new Identity { Id = AgentId, DisplayName = "Agent" } } }, null, cancellationToken);
                Write($"transferring to {AgentId}");
                break;
            default:
                await PlayAsync(cancellationToken, "goodbye");
                await call.DeleteAsync(cancellationToken: cancellationToken);
                Write("hung up");
                break;
        }
        await terminated.Task.WaitAsync(cancellationToken);
        return choice;
    }

    private async Task PlayAsync(CancellationToken cancellationToken, params string[] names)
    {
        var media = names.Select(name => new MediaPrompt { MediaInfo = new MediaInfo { Uri = new Uri(prompts, $"{name}.wav").ToString(), ResourceId = name } });
        var played = await call.PlayPromptAsync(media, cancellationToken: cancellationToken);
        Write($"played {string.Join(" + ", names)}: {Result(played.ResultInfo)}");
    }

    private async Task<RecordOperation> RecordAsync(CancellationToken cancellationToken)
    {
        var operations = graph.Communications.Calls[call.Id].Operations;
        var started = await graph.Communications.Calls[call.Id].RecordResponse.PostAsync(
            new RecordResponsePostRequestBody { ClientContext = "message", StopTones = ["#"], MaxRecordDurationInSeconds = 30, InitialSilenceTimeoutInSeconds = 10, PlayBeep = true },
            cancellationToken: cancellationToken);
        Write("recording (press # to end it)");
        while (true)
        {
            var operation = (RecordOperation)(await operations[started!.Id].GetAsync(cancellationToken: cancellationToken))!;
            if (operation.Status is OperationStatus.Completed or OperationStatus.Failed) return operation;
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    private void OnUpdated(ICall sender, ResourceEventArgs<Call> args)
    {
        if (args.NewResource.ToneInfo is { Tone: { } tone } info && info.SequenceId != args.OldResource?.ToneInfo?.SequenceId)
        {
            Write($"caller pressed {tone} (sequenceId {info.SequenceId})");
            keys.Writer.TryWrite(tone);
        }
        if (args.NewResource.State != args.OldResource?.State) OnState(args.NewResource.State);
    }

    private void OnState(CallState? state)
    {
        if (state is null) return;
        Write($"call {state}" + (state == CallState.Terminated && call.Resource.ResultInfo is { } result ? $" ({Result(result)})" : ""));
        if (state == CallState.Established) established.TrySetResult();
        if (state == CallState.Terminated) terminated.TrySetResult();
    }

    private static string Result(ResultInfo? info) => info is null ? "no result" : $"{info.Code}/{info.Subcode} {info.Message}";

    private void Write(string line)
    {
        lock (log) log.WriteLine($"[{DateTime.Now:HH:mm:ss.fff}] {line}");
    }
}
