using System.Net;
using System.Net.Sockets;
using PartnerAccounts.Application.Webhooks;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Infrastructure.Webhooks;

/// <summary>
/// The subscription-time check of a receiver URL. It is a courtesy to the caller (a wrong URL is refused at once); what protects
/// the network is the check the delivery worker makes on the address it actually connects to (<see cref="WebhookSender"/>).
/// </summary>
public sealed class WebhookTargets(WebhookOptions options) : IWebhookTargets
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    public async Task<Error?> CheckAsync(Uri url, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return Refused("The URL must not contain credentials; authenticate deliveries by their signature.");
        }

        if (options.AllowPrivateTargets)
        {
            return null;
        }

        if (url.Scheme != Uri.UriSchemeHttps)
        {
            return Refused("The URL must use https.");
        }

        IPAddress[] addresses;
        if (IPAddress.TryParse(url.DnsSafeHost, out var literal))
        {
            addresses = [literal];
        }
        else
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ResolveTimeout);
            try
            {
                addresses = await Dns.GetHostAddressesAsync(url.DnsSafeHost, timeout.Token);
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return Refused($"The host '{url.DnsSafeHost}' could not be resolved.");
            }
        }

        return addresses.Length > 0 && addresses.All(NetworkAddresses.IsPublic)
            ? null
            : Refused("The URL resolves to a loopback, private, link-local or otherwise non-public address.");
    }

    private static Error Refused(string message) =>
        Error.BusinessRule("webhook_url_not_allowed", message, new Dictionary<string, string[]> { ["url"] = [message] });
}
