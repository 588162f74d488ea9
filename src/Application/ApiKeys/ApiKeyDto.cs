using PartnerAccounts.Domain.ApiKeys;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Application.ApiKeys;

/// <summary>An API key as lists show it: never its secret, only the public prefix that names it.</summary>
public sealed record ApiKeyDto(Guid Id, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt)
{
    public static ApiKeyDto From(ApiKey key) => new(key.Id, key.Name, key.Prefix, key.CreatedAt, key.LastUsedAt);
}

/// <summary>A new key with its secret: the only time the secret is ever shown.</summary>
public sealed record CreatedApiKeyDto(ApiKeyDto Key, string Secret);

internal static class ApiKeyRules
{
    public const string AuditResource = "api-keys";

    public static readonly Error NotFound = Error.NotFound("api_key_not_found", "The API key does not exist (or was revoked).");

    public static readonly Error LimitReached = Error.Conflict(
        "api_key_limit_reached", $"The account already has {ApiKey.MaxActivePerAccount} active API keys; revoke one to create another.");
}
