using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using PartnerAccounts.Api.Auth;
using PartnerAccounts.Tests.Infrastructure;

namespace PartnerAccounts.Tests.Durability;

/// <summary>
/// The built API (<c>PartnerAccounts.Api.dll</c>, copied beside the tests by the project reference) running as a process of
/// its own on real Kestrel, environment Testing, on a SQLite file. Every instance must be disposed (it kills the process).
/// </summary>
public sealed class ApiProcess : IAsyncDisposable
{
    public const string Issuer = Authentication.DefaultIssuer;
    public const string Audience = Authentication.DefaultAudience;

    private static readonly IConfiguration TokenConfiguration = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:SigningKey"] = ApiFactory.SigningKey,
            ["Auth:Issuer"] = Issuer,
            ["Auth:Audience"] = Audience,
        })
        .Build();

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private ApiProcess(Process process, ConcurrentQueue<string> output, Uri baseAddress)
    {
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What the process wrote to stdout and stderr (its last lines), for failure messages.</summary>
    public string Output => string.Join('\n', _output.TakeLast(40));

    /// <summary>Starts the API on a free port and returns once it answers an authenticated request.</summary>
    /// <param name="environment">variables set on top of the defaults (a null value removes one)</param>
    /// <param name="workingDirectory">where the process starts (default: the API's own folder)</param>
    public static async Task<ApiProcess> StartAsync(
        string databaseFile, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var port = FreePort();
        var start = StartInfo(databaseFile, environment, workingDirectory, "--urls", $"http://127.0.0.1:{port}");
        var output = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var api = new ApiProcess(process, output, new Uri($"http://127.0.0.1:{port}"));
        try
        {
            await api.WaitUntilAnsweringAsync(timeout);
            return api;
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the API with <paramref name="args"/> (a command, or a start expected to fail) and returns its exit code and output.</summary>
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunToExitAsync(
        string databaseFile, IReadOnlyDictionary<string, string?>? environment, TimeSpan timeout, params string[] args)
    {
        using var process = new Process { StartInfo = StartInfo(databaseFile, environment, null, args) };
        process.Start();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{string.Join(' ', args)}' did not exit within {timeout}.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Every line the process wrote so far (the last 200).</summary>
    public IReadOnlyList<string> Lines => [.. _output];

    /// <summary>A client authenticated as <paramref name="email"/> with a token minted with the process's signing key.</summary>
    public HttpClient ClientFor(string email, TimeSpan? timeout = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { BaseAddress = BaseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Bearer", Authentication.CreateToken(TokenConfiguration, email, isOperator: false, TimeSpan.FromMinutes(10)));
        return client;
    }

    /// <summary>SIGKILL on Linux (<see cref="Process.Kill(bool)"/>), the whole process tree: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(wait.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task WaitUntilAnsweringAsync(TimeSpan timeout)
    {
        using var client = ClientFor("probe@durability.example", TimeSpan.FromSeconds(2));
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The API process exited with code {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/v1/roles", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // still starting
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The API process did not answer within {timeout}:\n{Output}");
    }

    private static ProcessStartInfo StartInfo(string databaseFile, IReadOnlyDictionary<string, string?>? environment, string? workingDirectory, params string[] args)
    {
        var dll = typeof(Program).Assembly.Location;
        if (!File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")))
        {
            throw new InvalidOperationException($"{dll} has no runtimeconfig.json beside it: build the solution first.");
        }

        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["ConnectionStrings__PartnerAccounts"] = $"Data Source={databaseFile}";
        start.Environment["Auth__SigningKey"] = ApiFactory.SigningKey;
        start.Environment["Auth__Issuer"] = Issuer;
        start.Environment["Auth__Audience"] = Audience;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_HTTP_PORTS");
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }

    /// <summary>The dotnet host running this test (the CLI passes it down), else the one on the PATH.</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 200)
        {
            output.TryDequeue(out _);
        }
    }
}
