namespace PartnerAccounts.Domain.Common;

/// <summary>Anything that belongs to one company account.</summary>
public interface IAccountOwned
{
    Guid AccountId { get; }
}

/// <summary>A changeable resource whose <see cref="Version"/> is its concurrency token and ETag.</summary>
public interface IVersioned
{
    int Version { get; }
}
