using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Domain.Users;

/// <summary>A person, identified by email across every account they belong to.</summary>
public sealed class User
{
    private User()
    {
        Email = string.Empty;
        NormalizedEmail = string.Empty;
    }

    public Guid Id { get; private set; }

    public string Email { get; private set; }

    public string NormalizedEmail { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public static User Create(Guid id, string email, DateTime now) => new()
    {
        Id = id,
        Email = email.Trim(),
        NormalizedEmail = EmailAddress.Normalize(email),
        CreatedAt = now,
    };
}

/// <summary>A user's membership of one account.</summary>
public sealed class AccountMember : IAccountOwned, IVersioned
{
    private AccountMember()
    {
    }

    public Guid AccountId { get; private set; }

    public Guid UserId { get; private set; }

    public string? DisplayName { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public int Version { get; private set; }

    public static AccountMember Create(Guid accountId, Guid userId, string? displayName, DateTime now) => new()
    {
        AccountId = accountId,
        UserId = userId,
        DisplayName = displayName,
        CreatedAt = now,
        Version = 1,
    };
}

/// <summary>One role held by one member of one account.</summary>
public sealed class RoleAssignment : IAccountOwned
{
    private RoleAssignment()
    {
        RoleId = string.Empty;
    }

    public Guid AccountId { get; private set; }

    public Guid UserId { get; private set; }

    public string RoleId { get; private set; }

    public DateTime AssignedAt { get; private set; }

    public static RoleAssignment Create(Guid accountId, Guid userId, string roleId, DateTime now) => new()
    {
        AccountId = accountId,
        UserId = userId,
        RoleId = roleId,
        AssignedAt = now,
    };
}
