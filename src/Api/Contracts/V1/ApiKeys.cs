using System.ComponentModel.DataAnnotations;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Api.Contracts.V1;

public sealed record ApiKeyRequest
{
    /// <summary>What the key is for, e.g. the integration that uses it.</summary>
    [Required, MaxLength(FieldLimits.ApiKeyName)]
    public string? Name { get; init; }
}

/// <summary>An API key as lists show it: the public prefix names it (the secret starts with <c>pak_&lt;prefix&gt;_</c>); the secret is never shown again.</summary>
public sealed record ApiKeyResponse(Guid Id, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt);

/// <summary>A new API key with its secret: send it in <c>X-Api-Key</c>. This is the only time the secret is shown; store it now.</summary>
public sealed record CreatedApiKeyResponse(Guid Id, string Name, string Prefix, DateTime CreatedAt, DateTime? LastUsedAt, [WithheldOnReplay] string Secret);
