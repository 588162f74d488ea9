using Microsoft.EntityFrameworkCore;
using PartnerAccounts.Application.Common.Abstractions;
using PartnerAccounts.Application.Accounts.ListMyAccounts;
using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Programs;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Application.Programs;

public sealed record PrerequisiteDto(Prerequisite Id, string Description);

public sealed record ProgramDto(
    string Id,
    string Name,
    string Description,
    SettingsArea SettingsArea,
    IReadOnlyList<PrerequisiteDto> Prerequisites,
    IReadOnlyList<RoleRefDto> EnrollingRoles,
    bool AllowsRoleAssignment)
{
    public static ProgramDto From(ProgramDefinition program) => new(
        program.Id,
        program.Name,
        program.Description,
        program.Area,
        [.. program.Prerequisites.Select(p => new PrerequisiteDto(p, PrerequisiteRules.Describe(p)))],
        [.. program.EnrollingRoles.Select(r => new RoleRefDto(r.Id, r.Name))],
        program.AllowsRoleAssignment);
}

public sealed record EnrollmentDto(
    string ProgramId,
    string ProgramName,
    SettingsArea SettingsArea,
    EnrollmentStatus Status,
    string? Reason,
    DateTime EnrolledAt,
    DateTime UpdatedAt)
{
    public static EnrollmentDto From(Enrollment enrollment)
    {
        var program = ProgramCatalogue.Find(enrollment.ProgramId)!;
        return new(program.Id, program.Name, program.Area, enrollment.Status, enrollment.Reason, enrollment.EnrolledAt, enrollment.UpdatedAt);
    }
}

/// <summary>A live (pending or active) enrollment as the account summary and the account picker list it.</summary>
public sealed record EnrolledProgramDto(string Id, string Name, SettingsArea SettingsArea, EnrollmentStatus Status);

public sealed record AccountSettingsDto(
    IReadOnlyList<SettingsArea> SettingsAreas,
    IReadOnlyList<SettingsArea> AssignableRoleAreas,
    string MpnId,
    MpnIdPlacement MpnIdShownIn);

public static class ProgramErrors
{
    public static readonly Error ProgramNotFound = Error.NotFound("program_not_found", "There is no such program; see GET /v1/programs.");

    public static readonly Error EnrollmentNotFound = Error.NotFound("enrollment_not_found", "The account has never enrolled in this program.");
}

/// <summary>Reads of an account's enrollments shared by the use cases that depend on them.</summary>
internal static class AccountEnrollments
{
    public static EnrollmentFacts FactsOf(Account account, IEnumerable<Enrollment> enrollments) =>
        new(account.VerificationStatus, enrollments.ToDictionary(e => e.ProgramId, e => e.Status, StringComparer.Ordinal));

    private sealed record LiveRow(Guid AccountId, string ProgramId, EnrollmentStatus Status);

    private static readonly Func<DbContext, Guid, IAsyncEnumerable<LiveRow>> LiveOfOne = EF.CompileAsyncQuery(
        (DbContext db, Guid accountId) => db.Set<Enrollment>()
            .Where(e => e.AccountId == accountId && (e.Status == EnrollmentStatus.Pending || e.Status == EnrollmentStatus.Active))
            .Select(e => new LiveRow(e.AccountId, e.ProgramId, e.Status)));

    /// <summary>The live enrollments of each of <paramref name="accountIds"/>, in catalogue order.</summary>
    public static async Task<ILookup<Guid, EnrolledProgramDto>> LiveAsync(IAppDbContext db, IReadOnlyCollection<Guid> accountIds, CancellationToken cancellationToken)
    {
        var rows = new List<LiveRow>();
        if (accountIds.Count == 1)
        {
            // One account (every account-scoped read): compiled once. A list parameter's SQL is generated again on every
            // execution, under a lock all concurrent requests share (ADR 0008), so it is kept for the lists.
            await foreach (var row in LiveOfOne(db.Context(), accountIds.First()).WithCancellation(cancellationToken))
            {
                rows.Add(row);
            }
        }
        else
        {
            rows = await db.Enrollments.AsNoTracking()
                .Where(e => accountIds.Contains(e.AccountId) && (e.Status == EnrollmentStatus.Pending || e.Status == EnrollmentStatus.Active))
                .Select(e => new LiveRow(e.AccountId, e.ProgramId, e.Status))
                .ToListAsync(cancellationToken);
        }

        return rows
            .Select(r => (r.AccountId, Program: ProgramCatalogue.Find(r.ProgramId), r.Status))
            .Where(r => r.Program is not null)
            .OrderBy(r => ProgramCatalogue.PositionOf(r.Program!.Id))
            .ToLookup(r => r.AccountId, r => new EnrolledProgramDto(r.Program!.Id, r.Program.Name, r.Program.Area, r.Status));
    }

    /// <summary>The settings areas the account has now, from its live enrollments.</summary>
    public static async Task<AccountSettings> SettingsAsync(IAppDbContext db, Guid accountId, CancellationToken cancellationToken) =>
        AccountSettings.Of((await LiveAsync(db, [accountId], cancellationToken))[accountId].Select(p => p.Id));
}
