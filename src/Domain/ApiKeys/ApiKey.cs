using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Domain.ApiKeys;

/// <summary>
/// An account's key for the MPN ID verification endpoint. Only a hash of the secret is kept: the secret itself is shown once,
/// when the key is created. The public <see cref="Prefix"/> names the key in lists and finds it when it is presented.
/// </summary>
public sealed class ApiKey
{
    /// <summary>An account has at most this many active keys; a revoked key is deleted and frees its slot.</summary>
    public const int MaxActivePerAccount = 25;

    private ApiKey()
    {
        Name = string.Empty;
        Prefix = string.Empty;
        SecretHash = [];
        CreatedBy = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid AccountId { get; private set; }

    public string Name { get; private set; }

    public string Prefix { get; private set; }

    /// <summary>SHA-256 of the whole secret (see <see cref="ApiKeySecret"/>).</summary>
    public byte[] SecretHash { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string CreatedBy { get; private set; }

    /// <summary>
    /// Which of the account's <see cref="MaxActivePerAccount"/> places the key holds (1 based, unique per account): two
    /// creations racing for the last place cannot both commit, whichever database runs the service.
    /// </summary>
    public int Slot { get; private set; }

    /// <summary>When the key was last presented, recorded at most about once a minute (so it lags by up to that much).</summary>
    public DateTime? LastUsedAt { get; private set; }

    public static ApiKey Create(Guid id, Guid accountId, int slot, string name, GeneratedApiKey generated, string createdBy, DateTime now) => new()
    {
        Id = id,
        Slot = AccountSlots.Checked(slot, MaxActivePerAccount),
        AccountId = accountId,
        Name = name,
        Prefix = generated.Prefix,
        SecretHash = generated.Hash,
        CreatedAt = now,
        CreatedBy = createdBy,
    };
}
