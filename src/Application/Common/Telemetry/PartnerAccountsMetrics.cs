using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PartnerAccounts.Application.Common.Telemetry;

/// <summary>
/// The service's own metrics, on the meter <c>PartnerAccounts</c> (<see cref="MeterName"/>); the host exports them with
/// OpenTelemetry. Every call is a counter increment with one or two constant tags: without a listener it costs next to
/// nothing, so the hot path may call it on every request.
/// </summary>
public static class PartnerAccountsMetrics
{
    public const string MeterName = "PartnerAccounts";

    private static readonly Meter Meter = new(MeterName);

    /// <summary><c>partneraccounts.mpn.verifications</c>, tag <c>outcome</c>: <c>verified</c>, <c>not_found</c>, <c>invalid</c>.</summary>
    private static readonly Counter<long> MpnVerifications = Meter.CreateCounter<long>(
        "partneraccounts.mpn.verifications", "{verification}", "MPN ID verifications answered, by outcome.");

    /// <summary><c>partneraccounts.cache.lookups</c>, tags <c>cache</c> (e.g. <c>mpn</c>) and <c>result</c>: <c>hit</c> or <c>miss</c>.</summary>
    private static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>(
        "partneraccounts.cache.lookups", "{lookup}", "Lookups in the service's in-memory caches, by cache and result.");

    /// <summary><c>partneraccounts.rate_limit.rejections</c>, tag <c>policy</c> (e.g. <c>mpn-verification</c>, <c>sign-in</c>).</summary>
    private static readonly Counter<long> RateLimitRejections = Meter.CreateCounter<long>(
        "partneraccounts.rate_limit.rejections", "{request}", "Requests refused with 429 by a rate limit, by policy.");

    public static class Outcomes
    {
        public const string Verified = "verified";
        public const string NotFound = "not_found";
        public const string Invalid = "invalid";
    }

    public static class Caches
    {
        public const string Mpn = "mpn";
    }

    public static void MpnVerification(string outcome)
    {
        if (MpnVerifications.Enabled)
        {
            MpnVerifications.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public static void CacheLookup(string cache, bool hit)
    {
        if (CacheLookups.Enabled)
        {
            CacheLookups.Add(1, new TagList { { "cache", cache }, { "result", hit ? "hit" : "miss" } });
        }
    }

    public static void RateLimitRejection(string policy)
    {
        if (RateLimitRejections.Enabled)
        {
            RateLimitRejections.Add(1, new KeyValuePair<string, object?>("policy", policy));
        }
    }
}
