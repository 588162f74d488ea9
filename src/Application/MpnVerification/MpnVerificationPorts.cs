namespace PartnerAccounts.Application.MpnVerification;

/// <summary>
/// MPN ID -> partner (legal company) name, for IDs that verify: an account's global ID or one of its current locations' IDs, of
/// an account that is not closed. Answers from a bounded cache that every change to those facts invalidates at once.
/// </summary>
public interface IMpnDirectory
{
    /// <summary>The partner name, or null when the ID does not verify (unknown, retired, or of a closed account).</summary>
    ValueTask<string?> FindPartnerNameAsync(string mpnId, CancellationToken cancellationToken);
}

/// <summary>Who presented an API key: the key and the account it belongs to, whose verification budgets it draws on.</summary>
public sealed record ApiKeyIdentity(Guid KeyId, Guid AccountId)
{
    public string BudgetKey { get; } = VerificationBudgets.AccountKey(AccountId);
}

/// <summary>Checks presented API key secrets against an in-memory set of key hashes that revocation invalidates at once.</summary>
public interface IApiKeyAuthenticator
{
    /// <summary>The key's identity, or null for a malformed, unknown or revoked secret. Records the use (at most once a minute per key).</summary>
    ValueTask<ApiKeyIdentity?> AuthenticateAsync(string presentedSecret, CancellationToken cancellationToken);
}
