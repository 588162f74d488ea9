using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Accounts.ListMyAccounts;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.LearnProfiles;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Users;

public sealed record UserDto(Guid Id, string Email, string? DisplayName, IReadOnlyList<RoleRefDto> Roles, DateTime CreatedAt)
{
    /// <summary>Whether the person has associated a Microsoft Learn account (never the link itself).</summary>
    public LearnProfileSummaryDto LearnProfile { get; init; } = LearnProfileSummaryDto.NotLinked;
}

public sealed record TemporaryPasswordDto(string TemporaryPassword, DateTime ExpiresAt);

internal static class UserErrors
{
    public static readonly Error UserNotFound = Error.NotFound("user_not_found", "The user is not a member of this account.");

    public static readonly Error RoleNotFound = Error.NotFound("role_not_found", "The role does not exist.");

    public static RoleRefDto RoleRef(string roleId) => new(roleId, Roles.Find(roleId)?.Name ?? roleId);
}

internal static class Members
{
    public static async Task<UserDto?> LoadAsync(IAppDbContext db, Guid accountId, Guid userId, CancellationToken cancellationToken)
    {
        var row = await (
            from m in db.AccountMembers.AsNoTracking()
            where m.AccountId == accountId && m.UserId == userId
            join u in db.Users on m.UserId equals u.Id
            select new { u.Id, u.Email, m.DisplayName, m.CreatedAt, m.Version })
            .FirstOrDefaultAsync(cancellationToken);
        if (row is null)
        {
            return null;
        }

        var roles = await RolesOfAsync(db, accountId, userId, cancellationToken);
        var learn = await LearnProfileSummaries.OfAsync(db, [EmailAddress.Normalize(row.Email)], cancellationToken);
        return new UserDto(row.Id, row.Email, row.DisplayName, roles, row.CreatedAt) { LearnProfile = learn.For(row.Email) };
    }

    public static async Task<IReadOnlyList<RoleRefDto>> RolesOfAsync(IAppDbContext db, Guid accountId, Guid userId, CancellationToken cancellationToken)
    {
        var ids = await db.RoleAssignments.AsNoTracking()
            .Where(r => r.AccountId == accountId && r.UserId == userId)
            .Select(r => r.RoleId)
            .ToListAsync(cancellationToken);
        return [.. ids.Order(StringComparer.Ordinal).Select(UserErrors.RoleRef)];
    }

    public static Task<int> GlobalAdminCountAsync(IAppDbContext db, Guid accountId, CancellationToken cancellationToken) =>
        db.RoleAssignments.CountAsync(r => r.AccountId == accountId && r.RoleId == Roles.GlobalAdminId, cancellationToken);
}

/// <summary>Temporary passwords: 20 characters from an unambiguous alphabet, with every character class, from the OS CSPRNG.</summary>
internal static class TemporaryPasswords
{
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnpqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Symbols = "!@#$%*-_+=?";

    public static string Create()
    {
        const string all = Upper + Lower + Digits + Symbols;
        var chars = new char[20];
        chars[0] = Upper[RandomNumberGenerator.GetInt32(Upper.Length)];
        chars[1] = Lower[RandomNumberGenerator.GetInt32(Lower.Length)];
        chars[2] = Digits[RandomNumberGenerator.GetInt32(Digits.Length)];
        chars[3] = Symbols[RandomNumberGenerator.GetInt32(Symbols.Length)];
        for (var i = 4; i < chars.Length; i++)
        {
            chars[i] = all[RandomNumberGenerator.GetInt32(all.Length)];
        }

        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
}
