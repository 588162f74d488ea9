using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using StandardWebhooks;

namespace PartnerAccounts.Infrastructure.Webhooks;

/// <summary>What one delivery attempt came to: the receiver's status (when it answered), how long it took, and why it failed.</summary>
public sealed record DeliveryOutcome(bool Delivered, int? ResponseStatus, int DurationMs, string? Error);

/// <summary>
/// Sends one signed message (Standard Webhooks: <c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c> with one
/// <c>v1,</c> signature per active secret). Every connection resolves the host and connects only to public addresses (unless
/// <c>Webhooks:AllowPrivateTargets</c>), so a name that later resolves to an internal address reaches nothing. No redirects, no
/// proxy, a bounded time per attempt, and the response body is never read. It sends through the handler directly (an
/// <see cref="HttpMessageInvoker"/>, not an <see cref="HttpClient"/>): the response is returned once its headers are read, and
/// no client-level time-out, default headers or second cancellation source is paid for on every delivery.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private const string UserAgent = "PartnerAccounts-Webhooks/1.0";

    private readonly HttpMessageInvoker _client;
    private readonly TimeSpan _timeout;

    public WebhookSender(WebhookOptions options)
    {
        _timeout = options.Timeout;
        var allowPrivate = options.AllowPrivateTargets;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxConnectionsPerServer = options.MaxConcurrency,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivate, cancellationToken),
        };
        _client = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>The <c>webhook-signature</c> value: a <c>v1,&lt;base64&gt;</c> signature per secret, the current secret first, space separated.</summary>
    public static string Sign(IEnumerable<string> secrets, string messageId, DateTimeOffset timestamp, string payload) =>
        string.Join(' ', secrets.Select(secret => new StandardWebhook(secret).Sign(messageId, timestamp, payload)));

    /// <summary>Sends one attempt, bounded by <c>Webhooks:Timeout</c> or by <paramref name="timeout"/> when that is shorter.</summary>
    public async Task<DeliveryOutcome> SendAsync(
        Uri url, string messageId, string payload, IReadOnlyList<string> secrets, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var limit = timeout is { } shorter && shorter < _timeout ? shorter : _timeout;
        var timestamp = DateTimeOffset.UtcNow;
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        request.Headers.TryAddWithoutValidation("webhook-id", messageId);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", Sign(secrets, messageId, timestamp, payload));

        using var expiry = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        expiry.CancelAfter(limit);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var response = await _client.SendAsync(request, expiry.Token);
            var status = (int)response.StatusCode;
            var delivered = status is >= 200 and < 300;
            return new DeliveryOutcome(delivered, status, Elapsed(stopwatch), delivered ? null : $"The receiver answered {status}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome(false, null, Elapsed(stopwatch), $"No answer within {limit.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException exception)
        {
            var reason = exception.InnerException is TargetNotAllowedException notAllowed
                ? notAllowed.Message
                : $"The request failed ({exception.HttpRequestError}).";
            return new DeliveryOutcome(false, null, Elapsed(stopwatch), reason);
        }
    }

    public void Dispose() => _client.Dispose();

    private static int Elapsed(Stopwatch stopwatch) => (int)Math.Min(int.MaxValue, stopwatch.ElapsedMilliseconds);

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, bool allowPrivate, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken);
        var allowed = allowPrivate ? addresses : [.. addresses.Where(NetworkAddresses.IsPublic)];
        if (allowed.Length == 0)
        {
            throw new TargetNotAllowedException($"'{endPoint.Host}' resolves to no public address; deliveries to loopback, private and link-local addresses are refused.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class TargetNotAllowedException(string message) : Exception(message);
}
