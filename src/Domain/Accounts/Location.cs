using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Domain.Accounts;

/// <summary>One of the company's locations, with its own location MPN ID.</summary>
public sealed class Location
{
    private Location()
    {
        Name = string.Empty;
        MpnId = string.Empty;
        Address = null!;
    }

    public Guid Id { get; private set; }

    public Guid AccountId { get; private set; }

    public string Name { get; private set; }

    public Address Address { get; private set; }

    public string MpnId { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public int Version { get; private set; }

    public static Location Create(Guid id, Guid accountId, string name, Address address, string mpnId, DateTime now) => new()
    {
        Id = id,
        AccountId = accountId,
        Name = name,
        Address = address,
        MpnId = mpnId,
        CreatedAt = now,
        Version = 1,
    };

    public void Replace(string name, Address address)
    {
        Name = name;
        Address = address;
        Version++;
    }

    /// <summary>The last remaining location of an account cannot be deleted.</summary>
    public static Result<Success> CanDelete(int locationsOfAccount) => locationsOfAccount > 1
        ? Success.Value
        : Error.Conflict("last_location", "The last remaining location of an account cannot be deleted.");
}

public sealed class TaxExemption
{
    private TaxExemption()
    {
        Country = string.Empty;
        CertificateId = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid AccountId { get; private set; }

    public string Country { get; private set; }

    public string CertificateId { get; private set; }

    public DateOnly ExpiresOn { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public static TaxExemption Create(Guid id, Guid accountId, string country, string certificateId, DateOnly expiresOn, DateTime now) => new()
    {
        Id = id,
        AccountId = accountId,
        Country = country,
        CertificateId = certificateId,
        ExpiresOn = expiresOn,
        CreatedAt = now,
    };
}

/// <summary>
/// The registry of every MPN ID the service issued: one row per ID, unique across accounts and locations. A location's row
/// outlives the location (its <see cref="LocationId"/> then names a location that no longer exists), so a retired ID is never
/// issued again.
/// </summary>
public sealed class MpnRegistration
{
    private MpnRegistration()
    {
        MpnId = string.Empty;
    }

    public string MpnId { get; private set; }

    public Guid AccountId { get; private set; }

    public Guid? LocationId { get; private set; }

    public static MpnRegistration ForAccount(string mpnId, Guid accountId) => new() { MpnId = mpnId, AccountId = accountId };

    public static MpnRegistration ForLocation(string mpnId, Guid accountId, Guid locationId) =>
        new() { MpnId = mpnId, AccountId = accountId, LocationId = locationId };
}
