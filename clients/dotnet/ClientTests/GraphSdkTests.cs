using System.Text.Json;
using Azure.Core;
using IvrBot.Local;
using Microsoft.Graph;
using Microsoft.Graph.Communications.Calls.Item.CancelMediaProcessing;
using Microsoft.Graph.Communications.Calls.Item.PlayPrompt;
using Microsoft.Graph.Communications.Calls.Item.RecordResponse;
using Microsoft.Graph.Communications.Calls.Item.SendDtmfTones;
using Microsoft.Graph.Communications.Calls.Item.SubscribeToTone;
using Microsoft.Graph.Communications.Calls.Item.UpdateRecordingStatus;
using Microsoft.Graph.Communications.Calls.Item.Answer;
using Microsoft.Graph.Communications.Calls.Item.Reject;
using Microsoft.Graph.Communications.Calls.Item.Redirect;
using Microsoft.Graph.Communications.Calls.Item.Transfer;
using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Authentication.Azure;

namespace ClientTests;

/// <summary>Microsoft.Graph for .NET (v5, Kiota), unmodified, against the service's https base URL.</summary>
[Collection(ServiceCollection.Name)]
public sealed class GraphSdkTests(ServiceFixture fixture) : IAsyncLifetime
{
    private TestApp app = null!;
    private NotificationRecorder bot = null!;

    public async Task InitializeAsync()
    {
        app = await TestApp.CreateAsync(fixture.Service);
        bot = await NotificationRecorder.StartAsync(fixture.Service.Ca);
    }

    public async Task DisposeAsync() => await bot.DisposeAsync();

    private static readonly InvitationParticipantInfo John = new() { Identity = new IdentitySet { User = new Identity { Id = "john", DisplayName = "John" } } };

    private static List<Prompt> Prompts(params string[] names) =>
        [.. names.Select(name => (Prompt)new MediaPrompt { MediaInfo = new MediaInfo { Uri = $"https://cdn.example.com/{name}.wav", ResourceId = name } })];

    private async Task<Call> EstablishedCallAsync()
    {
        var call = await app.Graph.Communications.Calls.PostAsync(new Call
        {
            CallbackUri = bot.CallbackUri.ToString(),
            Targets = [John],
            RequestedModalities = [Modality.Audio],
            MediaConfig = new ServiceHostedMediaConfig(),
        });
        Assert.Equal(CallState.Establishing, call!.State);
        await bot.WaitForAsync(n => IsCallState(n, call.Id!, "established"));
        return call;
    }

    private static bool IsCallState(JsonElement n, string callId, string state) =>
        n.GetProperty("resourceUrl").GetString() == $"/communications/calls/{callId}" && n.GetProperty("resourceData").TryGetProperty("state", out var s) && s.GetString() == state;

    private static bool Ended(JsonElement n, string operationId) =>
        n.GetProperty("changeType").GetString() == "deleted" && n.GetProperty("resourceUrl").GetString()!.EndsWith($"/operations/{operationId}");

    [Fact]
    public async Task Runs_the_IVR_media_operations_and_reads_each_back_as_its_typed_subtype()
    {
        var call = await EstablishedCallAsync();
        var calls = app.Graph.Communications.Calls[call.Id];
        Assert.Equal(CallState.Established, (await calls.GetAsync())!.State);

        var tones = await calls.SubscribeToTone.PostAsync(new SubscribeToTonePostRequestBody { ClientContext = "keys" });
        Assert.Equal(OperationStatus.Completed, tones!.Status);
        var welcome = await calls.PlayPrompt.PostAsync(new PlayPromptPostRequestBody { ClientContext = "welcome", Prompts = Prompts("welcome") });
        Assert.Equal(OperationStatus.Running, welcome!.Status);
        var menu = await calls.PlayPrompt.PostAsync(new PlayPromptPostRequestBody { ClientContext = "menu", Prompts = Prompts("menu") });
        Assert.Equal(OperationStatus.NotStarted, menu!.Status);
        var message = await calls.RecordResponse.PostAsync(new RecordResponsePostRequestBody { ClientContext = "message", Prompts = Prompts("beep"), StopTones = ["#"], MaxRecordDurationInSeconds = 30, PlayBeep = true });
        Assert.Equal(OperationStatus.NotStarted, message!.Status);

        // The welcome ends, the menu plays and is cancelled, the recording (next in the queue) ends with # from the caller.
        await bot.WaitForAsync(n => Ended(n, welcome.Id!));
        var cancel = await calls.CancelMediaProcessing.PostAsync(new CancelMediaProcessingPostRequestBody { ClientContext = "caller pressed 0" });
        Assert.Equal(OperationStatus.Completed, cancel!.Status);

        var played = Assert.IsType<PlayPromptOperation>(await calls.Operations[welcome.Id].GetAsync());
        // v1.0 declares no completionReason on these subtypes (beta does): it lands in AdditionalData.
        Assert.Equal((OperationStatus.Completed, 200, 0, "completedSuccessfully"), (played.Status, played.ResultInfo!.Code, played.ResultInfo.Subcode, played.AdditionalData["completionReason"]));
        var cancelledMenu = Assert.IsType<PlayPromptOperation>(await calls.Operations[menu.Id].GetAsync());
        Assert.Equal((OperationStatus.Failed, 400, 8508), (cancelledMenu.Status, cancelledMenu.ResultInfo!.Code, cancelledMenu.ResultInfo.Subcode));
        var record = Assert.IsType<RecordOperation>(await calls.Operations[message.Id].GetAsync());
        Assert.Equal((OperationStatus.Failed, "operationCanceled", ""), (record.Status, record.AdditionalData["completionReason"], record.RecordingLocation));
        Assert.IsType<SubscribeToToneOperation>(await calls.Operations[tones.Id].GetAsync());
        Assert.Equal("caller pressed 0", Assert.IsType<CancelMediaProcessingOperation>(await calls.Operations[cancel.Id].GetAsync()).ClientContext);

        // A recording that ends with its stop tone has a recording.
        var second = await calls.RecordResponse.PostAsync(new RecordResponsePostRequestBody { ClientContext = "again", StopTones = ["#"], PlayBeep = false });
        await app.PressAsync(call.Id!, "#");
        await bot.WaitForAsync(n => Ended(n, second!.Id!));
        var recorded = Assert.IsType<RecordOperation>(await calls.Operations[second!.Id].GetAsync());
        Assert.Equal((OperationStatus.Completed, "stopToneDetected"), (recorded.Status, recorded.AdditionalData["completionReason"]));
        Assert.StartsWith(fixture.Service.HttpsRoot.ToString(), recorded.RecordingLocation);

        // The key reached the bot as a tone notification on the call.
        var tone = await bot.WaitForAsync(n => n.GetProperty("resourceData").TryGetProperty("toneInfo", out var t) && t.ValueKind == JsonValueKind.Object);
        Assert.Equal("pound", tone.GetProperty("resourceData").GetProperty("toneInfo").GetProperty("tone").GetString());

        await calls.DeleteAsync();
        await bot.WaitForAsync(n => IsCallState(n, call.Id!, "terminated"));
        Assert.Equal(CallState.Terminated, (await calls.GetAsync())!.State);
    }

    [Fact]
    public async Task Drives_the_call_control_an_IVR_ends_in()
    {
        var call = await EstablishedCallAsync();
        var calls = app.Graph.Communications.Calls[call.Id];
        await calls.KeepAlive.PostAsync();
        var dtmf = await calls.SendDtmfTones.PostAsync(new SendDtmfTonesPostRequestBody { Tones = [Tone.Tone1, Tone.Pound], DelayBetweenTonesMs = 50, ClientContext = "dial" });
        Assert.Equal(OperationStatus.Running, Assert.IsType<SendDtmfTonesOperation>(dtmf).Status);
        await bot.WaitForAsync(n => Ended(n, dtmf!.Id!));
        Assert.Equal(SendDtmfCompletionReason.CompletedSuccessfully, Assert.IsType<SendDtmfTonesOperation>(await calls.Operations[dtmf!.Id].GetAsync()).CompletionReason);
        var recording = await calls.UpdateRecordingStatus.PostAsync(new UpdateRecordingStatusPostRequestBody { Status = RecordingStatus.Recording, ClientContext = "compliance" });
        Assert.Equal(OperationStatus.Completed, Assert.IsType<UpdateRecordingStatusOperation>(recording).Status);
        var participants = await calls.Participants.GetAsync();
        Assert.Equal(2, participants!.Value!.Count);
        Assert.Contains(participants.Value, p => p.RecordingInfo?.RecordingStatus == RecordingStatus.Recording);
        var selected = await calls.GetAsync(r => r.QueryParameters.Select = ["state", "id"]);
        Assert.Equal((call.Id, CallState.Established, null), (selected!.Id, selected.State, selected.CallbackUri));

        await calls.Transfer.PostAsync(new TransferPostRequestBody { TransferTarget = new InvitationParticipantInfo { Identity = new IdentitySet { User = new Identity { Id = "agent-7" } } } });
        await bot.WaitForAsync(n => IsCallState(n, call.Id!, "terminated"));
        var ended = await calls.GetAsync();
        Assert.Equal((CallState.Terminated, 0, 7015), (ended!.State, ended.ResultInfo!.Code, ended.ResultInfo.Subcode));
    }

    [Fact]
    public async Task Answers_rejects_and_redirects_incoming_calls()
    {
        var calls = app.Graph.Communications.Calls;
        var answered = await app.RingAsync(bot.CallbackUri);
        Assert.Equal(CallState.Incoming, (await calls[answered].GetAsync())!.State);
        await calls[answered].Answer.PostAsync(new AnswerPostRequestBody { CallbackUri = bot.CallbackUri.ToString(), AcceptedModalities = [Modality.Audio], MediaConfig = new ServiceHostedMediaConfig() });
        await bot.WaitForAsync(n => IsCallState(n, answered, "established"));

        var rejected = await app.RingAsync(bot.CallbackUri);
        await calls[rejected].Reject.PostAsync(new RejectPostRequestBody { Reason = RejectReason.Busy });
        Assert.Equal((CallState.Terminated, 486), ((await calls[rejected].GetAsync())!.State, (await calls[rejected].GetAsync())!.ResultInfo!.Code));

        var redirected = await app.RingAsync(bot.CallbackUri);
        await calls[redirected].Redirect.PostAsync(new RedirectPostRequestBody { Targets = [John], Timeout = 30 });
        Assert.Equal(CallState.Redirecting, (await calls[redirected].GetAsync())!.State);
    }

    [Fact]
    public async Task Errors_surface_as_ODataError_with_Graphs_code_and_message()
    {
        var missing = await Assert.ThrowsAsync<ODataError>(() => app.Graph.Communications.Calls[Guid.NewGuid().ToString()].GetAsync());
        Assert.Equal(404, missing.ResponseStatusCode);
        Assert.Equal("itemNotFound", missing.Error!.Code);
        Assert.Contains("not found", missing.Error.Message, StringComparison.OrdinalIgnoreCase);

        var call = await EstablishedCallAsync();
        var tooMany = await Assert.ThrowsAsync<ODataError>(() => app.Graph.Communications.Calls[call.Id].PlayPrompt.PostAsync(new PlayPromptPostRequestBody { Prompts = Prompts([.. Enumerable.Range(0, 21).Select(i => $"p{i}")]) }));
        Assert.Equal((400, "BadRequest"), (tooMany.ResponseStatusCode, tooMany.Error!.Code));
        Assert.Equal("Invalid playPrompt request: 'prompts' must contain at most 20 prompts.", tooMany.Error.Message);
    }

    [Fact]
    public async Task The_default_Azure_identity_provider_sends_no_token_to_another_host_so_the_service_answers_401()
    {
        var credential = new FixedTokenCredential(app.Token);
        // What a bot's start-up usually writes: the Graph client's constructor that takes a credential.
        var graphHostsOnly = new GraphServiceClient(new HttpClient(fixture.Service.Ca.TrustingHandler()), credential, ["https://graph.microsoft.com/.default"], fixture.Service.GraphBaseUrl.ToString());
        var refused = await Assert.ThrowsAsync<ODataError>(() => graphHostsOnly.Communications.Calls[Guid.NewGuid().ToString()].GetAsync());
        Assert.Equal((401, "InvalidAuthenticationToken", 0), (refused.ResponseStatusCode, refused.Error!.Code, credential.Requests));

        // A provider that allows the service's host sends the token.
        var allowed = new GraphServiceClient(new HttpClient(fixture.Service.Ca.TrustingHandler()), new AzureIdentityAuthenticationProvider(credential, ["127.0.0.1"], null, false, ["https://graph.microsoft.com/.default"]), fixture.Service.GraphBaseUrl.ToString());
        Assert.Equal(404, (await Assert.ThrowsAsync<ODataError>(() => allowed.Communications.Calls[Guid.NewGuid().ToString()].GetAsync())).ResponseStatusCode);
        Assert.Equal(1, credential.Requests);
    }

    private sealed class FixedTokenCredential(string token) : TokenCredential
    {
        public int Requests { get; private set; }
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, DateTimeOffset.UtcNow.AddHours(1));
        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Requests++;
            return ValueTask.FromResult(GetToken(requestContext, cancellationToken));
        }
    }
}
