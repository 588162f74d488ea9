using System.Net;
using System.Net.Sockets;

namespace PartnerAccounts.Infrastructure.Webhooks;

/// <summary>Which IP addresses a webhook may be delivered to: public unicast ones only, never this host, its networks or special ranges.</summary>
public static class NetworkAddresses
{
    private static readonly (uint Network, int PrefixLength)[] NonPublicIPv4 =
    [
        (0x00000000, 8),   // "this" network
        (0x0A000000, 8),   // private
        (0x64400000, 10),  // carrier-grade NAT
        (0x7F000000, 8),   // loopback
        (0xA9FE0000, 16),  // link-local (cloud metadata endpoints live here)
        (0xAC100000, 12),  // private
        (0xC0000000, 24),  // IETF protocol assignments
        (0xC0000200, 24),  // documentation
        (0xC0A80000, 16),  // private
        (0xC6120000, 15),  // benchmarking
        (0xC6336400, 24),  // documentation
        (0xCB007100, 24),  // documentation
        (0xE0000000, 4),   // multicast
        (0xF0000000, 4),   // reserved and broadcast
    ];

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var bytes = address.GetAddressBytes();
            var value = (uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3];
            return !NonPublicIPv4.Any(range => value >> (32 - range.PrefixLength) == range.Network >> (32 - range.PrefixLength));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        if (address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6Loopback) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal ||
            address.IsIPv6Multicast || address.IsIPv6UniqueLocal)
        {
            return false;
        }

        var v6 = address.GetAddressBytes();
        var isDocumentation = v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8;
        var isNat64 = v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b;
        var isIPv4Compatible = v6.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0;
        return !isDocumentation && !isNat64 && !isIPv4Compatible;
    }
}
