using System.Security.Cryptography;

namespace PartnerAccounts.Domain.Webhooks;

/// <summary>Standard Webhooks signing secrets: <c>whsec_</c> and the base64 of 32 random bytes (the HMAC-SHA256 key).</summary>
public static class WebhookSecret
{
    public const string Scheme = "whsec_";
    public const int KeyBytes = 32;

    public static string Generate() => Scheme + Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeyBytes));
}
