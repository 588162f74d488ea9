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

    /// <summary>A salted slow hash (never the password); null for people who sign in only through the external authority.</summary>
    public string? PasswordHash { get; private set; }

    /// <summary>The password is a temporary one: signing in with it only allows changing it.</summary>
    public bool MustChangePassword { get; private set; }

    public DateTime? TemporaryPasswordExpiresAt { get; private set; }

    public int FailedSignIns { get; private set; }

    public DateTime? LockedUntil { get; private set; }

    public static User Create(Guid id, string email, DateTime now) => new()
    {
        Id = id,
        Email = email.Trim(),
        NormalizedEmail = EmailAddress.Normalize(email),
        CreatedAt = now,
    };

    public bool IsLockedOut(DateTime now) => LockedUntil > now;

    public bool TemporaryPasswordExpired(DateTime now) => MustChangePassword && TemporaryPasswordExpiresAt <= now;

    /// <summary>Counts a failed sign-in; the <see cref="SignInPolicy.MaxFailedSignIns"/>th in a row locks the user out for a while.</summary>
    public void RecordFailedSignIn(DateTime now)
    {
        FailedSignIns++;
        if (FailedSignIns >= SignInPolicy.MaxFailedSignIns)
        {
            LockedUntil = now + SignInPolicy.LockoutDuration;
            FailedSignIns = 0;
        }
    }

    public void RecordSuccessfulSignIn()
    {
        FailedSignIns = 0;
        LockedUntil = null;
    }

    public void SetTemporaryPassword(string passwordHash, DateTime now)
    {
        PasswordHash = passwordHash;
        MustChangePassword = true;
        TemporaryPasswordExpiresAt = now + SignInPolicy.TemporaryPasswordLifetime;
        FailedSignIns = 0;
        LockedUntil = null;
    }

    public void SetPassword(string passwordHash)
    {
        PasswordHash = passwordHash;
        MustChangePassword = false;
        TemporaryPasswordExpiresAt = null;
    }
}

public static class SignInPolicy
{
    public const int MaxFailedSignIns = 5;
    public const int MinPasswordLength = 12;
    public const int MaxPasswordLength = 128;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan TemporaryPasswordLifetime = TimeSpan.FromDays(3);
}

/// <summary>A user's membership of one account.</summary>
public sealed class AccountMember
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

    public void Rename(string? displayName)
    {
        DisplayName = displayName;
        Version++;
    }

    /// <summary>A role was granted or revoked: the member's representation (and so its ETag) lists their roles.</summary>
    public void RecordRoleChange() => Version++;
}

/// <summary>One role held by one member of one account.</summary>
public sealed class RoleAssignment
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
