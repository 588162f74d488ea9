namespace PartnerAccounts.Infrastructure.Idempotency;

/// <summary>
/// The first response to a creating request sent with an <c>Idempotency-Key</c>, kept for 24 hours so retries replay it.
/// Keyed by caller and key; while <see cref="CompletedAt"/> is null the first request is still running.
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

    public byte[]? Body { get; set; }
}
