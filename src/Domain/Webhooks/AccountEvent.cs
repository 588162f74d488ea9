namespace PartnerAccounts.Domain.Webhooks;

/// <summary>
/// Something that happened to an account, written in the same transaction as the change (the outbox). <see cref="Sequence"/> is
/// null until the dispatcher has fanned the event out to the account's webhooks (set by the worker's set-based publishing, in
/// SQL); it then orders the account's events feed.
/// <see cref="Data"/> is JSON built from the change's audit snapshots, which never hold a secret.
/// </summary>
public sealed class AccountEvent
{
    private AccountEvent()
    {
        Type = string.Empty;
        Data = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid AccountId { get; private set; }

    public string Type { get; private set; }

    public DateTime OccurredAt { get; private set; }

    public string Data { get; private set; }

    public long? Sequence { get; private set; }

    public static AccountEvent Create(Guid id, Guid accountId, string type, DateTime occurredAt, string data) => new()
    {
        Id = id,
        AccountId = accountId,
        Type = type,
        OccurredAt = occurredAt,
        Data = data,
    };
}
