using Microsoft.Graph.Communications.Calls;
using Microsoft.Graph.Communications.Resources;
using Microsoft.Graph.Models;

namespace ClientTests;

/// <summary>What the Communications SDK raises on one call object (ICall.OnUpdated), for tests to wait on.</summary>
public sealed class CallEvents
{
    private readonly ICall call;
    private readonly List<Call> updates = [];
    private readonly SemaphoreSlim changed = new(0);

    public CallEvents(ICall call)
    {
        this.call = call;
        call.OnUpdated += (_, args) => Add(args);
    }

    private void Add(ResourceEventArgs<Call> args)
    {
        lock (updates) updates.Add(args.NewResource);
        changed.Release();
    }

    /// <summary>Every tone the call object was told of, in order.</summary>
    public IReadOnlyList<ToneInfo> Tones
    {
        get
        {
            lock (updates) return [.. updates.Select(u => u.ToneInfo).OfType<ToneInfo>().DistinctBy(t => t.SequenceId)];
        }
    }

    public Task WaitForStateAsync(CallState state) => WaitAsync(() => call.Resource.State == state, $"state {state} (it is {call.Resource.State})");

    public async Task<ToneInfo> WaitForToneAsync(long sequenceId)
    {
        await WaitAsync(() => Tones.Any(t => t.SequenceId == sequenceId), $"tone {sequenceId}");
        return Tones.First(t => t.SequenceId == sequenceId);
    }

    private async Task WaitAsync(Func<bool> done, string what)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!done())
        {
            try { await changed.WaitAsync(patience.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"Call {call.Id}: no {what} within 20 s."); }
        }
    }
}
