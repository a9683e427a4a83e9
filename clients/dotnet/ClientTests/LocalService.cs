using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IvrBot.Local;

namespace ClientTests;

/// <summary>
/// The service as <c>npm start -- --in-memory</c> runs it, from the built <c>dist/</c>: on free ports,
/// with Azurite in memory, a local CA and token keys of its own in a temporary folder. It runs in a
/// process group of its own, stopped with SIGTERM (then SIGKILL) on dispose, and it stops by itself
/// if this process dies first.
/// </summary>
public sealed class LocalService : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly string tempDirectory;

    private LocalService(Process process, string tempDirectory, int httpPort, int httpsPort)
    {
        this.process = process;
        this.tempDirectory = tempDirectory;
        HttpRoot = new Uri($"http://127.0.0.1:{httpPort}");
        HttpsRoot = new Uri($"https://127.0.0.1:{httpsPort}");
    }

    /// <summary>The service root over https, e.g. https://127.0.0.1:7443 (Graph's base URL adds /v1.0).</summary>
    public Uri HttpsRoot { get; }
    public Uri HttpRoot { get; }
    public Uri GraphBaseUrl => new(HttpsRoot, "v1.0");
    public LocalCa Ca { get; private set; } = null!;
    /// <summary>An HTTP client that trusts the local CA.</summary>
    public HttpClient Http { get; private set; } = null!;
    public string Output { get { lock (output) return output.ToString(); } }

    public static async Task<LocalService> StartAsync(IReadOnlyDictionary<string, string>? settings = null)
    {
        var root = ProjectRoot();
        var start = Path.Combine(root, "dist", "tools", "start.js");
        if (!File.Exists(start)) throw new InvalidOperationException($"{start} is missing: run `npm run build` (or `npm test`) in {root} first.");
        var temp = Directory.CreateTempSubdirectory("calls-dotnet-").FullName;
        var (httpPort, httpsPort) = (FreePort(), FreePort());
        // setsid: the service and its children form a process group that dispose can signal as one.
        var info = new ProcessStartInfo("setsid") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "node", "--require", Path.Combine(root, "tools", "exit-with-parent.cjs"), start, "--in-memory" }) info.ArgumentList.Add(arg);
        info.Environment["PORT"] = httpPort.ToString();
        info.Environment["HTTPS_PORT"] = httpsPort.ToString();
        info.Environment["LOCAL_CA_DIR"] = Path.Combine(temp, "ca");
        info.Environment["LOCAL_KEYS_FILE"] = Path.Combine(temp, "keys.json");
        info.Environment["EXIT_WITH_PARENT_PID"] = Environment.ProcessId.ToString();
        info.Environment["PROMPT_DURATION_MS"] = "1000";
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) info.Environment[name] = value;

        var service = new LocalService(Process.Start(info)!, temp, httpPort, httpsPort);
        await service.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        service.Ca = new LocalCa(Path.Combine(temp, "ca"));
        service.Http = new HttpClient(service.Ca.TrustingHandler());
        return service;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Collect(string? line)
        {
            if (line is null) return;
            lock (output) output.AppendLine(line);
            if (line.StartsWith("Service ready at ", StringComparison.Ordinal)) ready.TrySetResult();
        }
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(timeout));
        if (first != ready.Task)
        {
            await DisposeAsync();
            throw new InvalidOperationException($"The service did not start ({(first == exited ? "it exited" : $"not ready after {timeout.TotalSeconds} s")}):\n{Output}");
        }
    }

    /// <summary>A local app token for this app id (the emulator's token route, as the web console gets one).</summary>
    public async Task<string> TokenAsync(string appId, CancellationToken cancellationToken = default)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(HttpRoot, "emulator/tokens"), new { appId }, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.GetProperty("access_token").GetString()!;
    }

    /// <summary>POSTs to one of the emulator's routes (the caller's side) as the app that owns the call.</summary>
    public async Task<JsonElement?> EmulatorAsync(string token, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(HttpsRoot, path)) { Content = JsonContent.Create(body ?? new { }) };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? null : JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            Signal(Sigterm);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try { await process.WaitForExitAsync(patience.Token); }
            catch (OperationCanceledException) { Signal(Sigkill); await process.WaitForExitAsync(); }
        }
        process.Dispose();
        Http?.Dispose();
        try { Directory.Delete(tempDirectory, recursive: true); } catch (IOException) { }
    }

    private const int Sigterm = 15, Sigkill = 9;

    private void Signal(int signal)
    {
        // The negative pid addresses the process group that setsid made (its leader is the service).
        if (kill(-process.Id, signal) != 0 && !process.HasExited) process.Kill(entireProcessTree: true);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    /// <summary>The repository root: the folder above this project that holds package.json.</summary>
    private static string ProjectRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json")) && Directory.Exists(Path.Combine(dir.FullName, "clients"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No package.json above {AppContext.BaseDirectory}.");
    }
}
