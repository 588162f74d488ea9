namespace PartnerAccounts.Application.Common.Secrets;

public enum SecretKind
{
    /// <summary>An API key's secret; valid while the key is not revoked.</summary>
    ApiKey,

    /// <summary>A temporary password; valid while the credential still has that stamp (not used, replaced or reset since).</summary>
    TemporaryPassword,

    /// <summary>A webhook's signing secret; valid while the webhook exists and its secret was not rotated since (the stamp is its secret id).</summary>
    WebhookSecret,
}

/// <summary>A secret a response carries, and what it belongs to: the key id, the directory user and its stamp after issuing, or the webhook and its secret id.</summary>
public sealed record IssuedSecret(SecretKind Kind, Guid SubjectId, Guid? Stamp = null);

/// <summary>
/// The secret the current request's response carries, told by the use case that issued it, so an idempotent replay of that
/// response (Api's IdempotencyMiddleware) can repeat it only while it is still valid.
/// </summary>
public sealed class IssuedSecrets
{
    public IssuedSecret? Current { get; private set; }

    public void Record(IssuedSecret secret) => Current = secret;
}
