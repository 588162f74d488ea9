namespace PartnerAccounts.Infrastructure.Idempotency;

/// <summary>
/// The first response to a creating request sent with an <c>Idempotency-Key</c>, kept for 24 hours so retries replay it.
/// Keyed by caller and key; while <see cref="CompletedAt"/> is null the first request is still running. The body is kept only
/// encrypted with Data Protection for that caller (it may carry a secret), with what a replay must authorize again and what
/// decides whether the secret may still be repeated.
/// </summary>
public sealed class IdempotencyRecord
{
    public const int MaxKeyLength = 255;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>A running request older than this is taken to have died (process killed) and may be taken over.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(1);

    public string Caller { get; set; } = string.Empty;

    public string Key { get; set; } = string.Empty;

    /// <summary>SHA-256 of method, path, query and body: the same key with another request is refused.</summary>
    public string RequestHash { get; set; } = string.Empty;

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    public int StatusCode { get; set; }

    public string? ContentType { get; set; }

    public string? Location { get; set; }

    public string? ETag { get; set; }

    /// <summary>The response body, protected with Data Protection under a purpose bound to <see cref="Caller"/>.</summary>
    public byte[]? Body { get; set; }

    /// <summary>The account the first request was authorized on (null for a request on no account).</summary>
    public Guid? AccountId { get; set; }

    /// <summary>The permission checked there, prefixed <c>operator:</c> for operator-only use cases.</summary>
    public string? Permission { get; set; }

    /// <summary>The kind of secret the body carries (<c>ApiKey</c>, <c>TemporaryPassword</c>), if any.</summary>
    public string? SecretKind { get; set; }

    /// <summary>The API key, or the directory user whose temporary password it is.</summary>
    public Guid? SecretSubjectId { get; set; }

    /// <summary>The credential's security stamp right after the temporary password was issued.</summary>
    public Guid? SecretStamp { get; set; }
}
