using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;

namespace PartnerAccounts.Tests.Http.Webhooks;

/// <summary>One request a receiver got, and whether its signature verified with the secret registered for its path.</summary>
public sealed record ReceivedDelivery(string Path, string Id, string Timestamp, string Signature, string Body, bool Verified, string? VerificationError)
{
    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public string Type => Json["type"]!.GetValue<string>();
}

/// <summary>
/// A webhook receiver on real Kestrel at 127.0.0.1, as an integration would run one: every request is verified on arrival with
/// the StandardWebhooks package's verifier and the secret registered for its path, and answered with the scripted statuses
/// (200 once the script runs out); a path can also be made to hang, as a receiver that never answers.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _secrets = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<int>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _hanging = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TimeSpan> _delays = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedDelivery> _received = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public IReadOnlyList<ReceivedDelivery> Received => [.. _received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Urls.First();
        receiver.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return receiver;
    }

    /// <summary>A fresh path of this receiver (its URL), for one webhook.</summary>
    public Uri NewEndpoint() => new(BaseAddress, $"hooks/{Guid.NewGuid():N}");

    public void Trust(Uri endpoint, string secret) => _secrets[endpoint.AbsolutePath] = secret;

    public void Script(Uri endpoint, params int[] statuses) => _scripts[endpoint.AbsolutePath] = new ConcurrentQueue<int>(statuses);

    public void Hang(Uri endpoint, bool hang = true) => _hanging[endpoint.AbsolutePath] = hang;

    /// <summary>Makes a path answer only after <paramref name="delay"/>, as a slow receiver.</summary>
    public void Slow(Uri endpoint, TimeSpan delay) => _delays[endpoint.AbsolutePath] = delay;

    public IReadOnlyList<ReceivedDelivery> ReceivedAt(Uri endpoint) => [.. _received.Where(r => r.Path == endpoint.AbsolutePath)];

    /// <summary>Waits until <paramref name="endpoint"/> got at least <paramref name="count"/> requests matching <paramref name="match"/>.</summary>
    public async Task<IReadOnlyList<ReceivedDelivery>> WaitForAsync(Uri endpoint, int count, Func<ReceivedDelivery, bool>? match = null, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var got = ReceivedAt(endpoint).Where(match ?? (_ => true)).ToList();
            if (got.Count >= count)
            {
                return got;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new AssertionException($"{endpoint} received {got.Count} of {count} expected deliveries: {string.Join(", ", ReceivedAt(endpoint).Select(r => r.Type))}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Verifies like a receiver would: the package's verifier, with the given secret, over the headers and body as received. During
    /// a rotation overlap the header carries one <c>v1,</c> signature per active secret, and the package's verifier compares only
    /// the first one, so each signature is given to it on its own: the message verifies when any of them does (as the Standard
    /// Webhooks specification asks of receivers).
    /// </summary>
    public static void Verify(string secret, string id, string timestamp, string signature, string body)
    {
        WebhookVerificationException? failure = null;
        foreach (var one in signature.Split(' ', StringSplitOptions.RemoveEmptyEntries).DefaultIfEmpty(string.Empty))
        {
            try
            {
                VerifyOne(secret, id, timestamp, one, body);
                return;
            }
            catch (WebhookVerificationException exception)
            {
                failure = exception;
            }
        }

        throw failure!;
    }

    private static void VerifyOne(string secret, string id, string timestamp, string signature, string body)
    {
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = id,
            ["webhook-timestamp"] = timestamp,
            ["webhook-signature"] = signature,
        };
        new StandardWebhook(secret).Verify(body, headers);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var id = context.Request.Headers["webhook-id"].ToString();
        var timestamp = context.Request.Headers["webhook-timestamp"].ToString();
        var signature = context.Request.Headers["webhook-signature"].ToString();
        string? error = null;
        if (_secrets.TryGetValue(path, out var secret))
        {
            try
            {
                Verify(secret, id, timestamp, signature, body);
            }
            catch (WebhookVerificationException exception)
            {
                error = exception.Message;
            }
        }
        else
        {
            error = "no secret registered for this path";
        }

        _received.Enqueue(new ReceivedDelivery(path, id, timestamp, signature, body, error is null, error));
        if (_hanging.TryGetValue(path, out var hang) && hang)
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        if (_delays.TryGetValue(path, out var delay))
        {
            await Task.Delay(delay, context.RequestAborted);
        }

        context.Response.StatusCode = _scripts.TryGetValue(path, out var script) && script.TryDequeue(out var status) ? status : 200;
    }
}
