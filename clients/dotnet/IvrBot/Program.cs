using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using IvrBot;
using IvrBot.Local;
using Microsoft.Graph.Communications.Calls;
using Microsoft.Graph.Communications.Common.Telemetry;
using Microsoft.Graph.Models;

// dotnet run --project clients/dotnet/IvrBot -- [--service https://127.0.0.1:7443] [--ca <folder of ca.pem>] [--app-id <guid>] [--port 9442]
// Calls "john" through the local service (npm start) and runs the IVR in Ivr.cs. The token comes
// from TOKEN (npm run -s token -- --app-id <guid> | tail -1) or, locally, the service's token route.
var options = Args.Parse(args);
var service = new Uri(options.GetValueOrDefault("service", "https://127.0.0.1:7443"));
var appId = options.GetValueOrDefault("app-id", "11111111-1111-1111-1111-111111111111");
var ca = options.TryGetValue("ca", out var caDirectory) ? new LocalCa(caDirectory) : LocalCa.Find();
var token = Environment.GetEnvironmentVariable("TOKEN") is { Length: > 0 } given ? given : await LocalTokenAsync(service, ca, appId);

using var logger = new GraphLogger("IvrBot", redirectToTrace: false);
await using var bot = await LocalBot.StartAsync("IvrBot", appId, service, ca, _ => Task.FromResult(token), logger, int.Parse(options.GetValueOrDefault("port", "9442")));
Console.WriteLine($"Notifications: {bot.Listener.CallbackUri}");

var call = await bot.Client.Calls().AddAsync(new Call
{
    Targets = [new InvitationParticipantInfo { Identity = new IdentitySet { User = new Identity { Id = "john", DisplayName = "John" } } }],
    RequestedModalities = [Modality.Audio],
    MediaConfig = new ServiceHostedMediaConfig(),
    TenantId = TenantOf(token),
});
Console.WriteLine($"Call {call.Id}: press keys as the caller in the web console ({new Uri(service, "/console")}) or with");
Console.WriteLine($"  curl --cacert {Path.Combine(ca.Directory, "ca.pem")} -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json' {new Uri(service, $"/emulator/calls/{call.Id}/tones")} -d '{{\"tones\":[\"1\"]}}'");
var graph = LocalGraph.Create(new Uri(service, "v1.0"), ca, _ => Task.FromResult(token));

// Ctrl-C or SIGTERM ends the IVR; leaving the `await using` above then hangs up what is still up.
using var stop = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
try
{
    await new Ivr(call, graph, Console.Out, new Uri("https://cdn.example.com/ivr/")).RunAsync(stop.Token);
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.WriteLine("Stopped.");
}

void Stop(PosixSignalContext signal)
{
    signal.Cancel = true;
    stop.Cancel();
}

static async Task<string> LocalTokenAsync(Uri service, LocalCa ca, string appId)
{
    // The local service mints tokens for loopback callers (what the web console uses); deployed, use Entra ID.
    using var http = new HttpClient(ca.TrustingHandler());
    using var response = await http.PostAsJsonAsync(new Uri(service, "/emulator/tokens"), new { appId });
    response.EnsureSuccessStatusCode();
    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
}

static string TenantOf(string jwt)
{
    var payload = jwt.Split('.')[1].Replace('-', '+').Replace('_', '/');
    var json = Convert.FromBase64String(payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '='));
    return JsonDocument.Parse(json).RootElement.GetProperty("tid").GetString()!;
}

static class Args
{
    public static Dictionary<string, string> Parse(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--")) throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            options[args[i][2..]] = args[i + 1];
        }
        return options;
    }
}
