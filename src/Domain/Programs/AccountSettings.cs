using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Domain.Programs;

/// <summary>Where the account's MPN ID is shown: in the partner profile (partner accounts) or in the account settings (developer-only accounts).</summary>
public enum MpnIdPlacement
{
    PartnerProfile,
    AccountSettings,
}

/// <summary>
/// The settings areas an account has, derived from its live (pending or active) enrollments: Partner when it is enrolled in
/// at least one partner-area program, Developer likewise.
/// <para>
/// Roles: developer roles can be assigned only when a live developer program allows role assignment (Edge extensions does
/// not). Partner roles can always be assigned: every account is created through the partner path (it gets an MPN ID and its
/// creator holds Global admin, itself a partner-area role), and the directory roles (Global admin, User management admin)
/// must be assignable in any account, so gating them behind an enrollment would leave a new account unable to staff itself.
/// </para>
/// </summary>
public sealed record AccountSettings(IReadOnlyList<SettingsArea> Areas, IReadOnlyList<SettingsArea> RoleAreas, MpnIdPlacement MpnIdShownIn)
{
    public const string AreaMissingCode = "settings_area_missing";

    public static AccountSettings Of(IEnumerable<string> liveProgramIds)
    {
        var programs = liveProgramIds.Select(ProgramCatalogue.Find).OfType<ProgramDefinition>().ToList();
        var areas = programs.Select(p => p.Area).Distinct().Order().ToList();
        var roleAreas = programs.Where(p => p.AllowsRoleAssignment).Select(p => p.Area).Append(SettingsArea.Partner).Distinct().Order().ToList();
        var developerOnly = areas.Contains(SettingsArea.Developer) && !areas.Contains(SettingsArea.Partner);
        return new AccountSettings(areas, roleAreas, developerOnly ? MpnIdPlacement.AccountSettings : MpnIdPlacement.PartnerProfile);
    }

    public bool CanAssign(Role role) => RoleAreas.Contains(role.Area);

    /// <summary>422 <c>settings_area_missing</c> when any of <paramref name="roles"/> belongs to an area whose roles the account cannot assign.</summary>
    public Result<Success> CheckAssignable(IEnumerable<Role> roles, string field)
    {
        var refused = roles.Where(r => !CanAssign(r)).ToList();
        if (refused.Count == 0)
        {
            return Success.Value;
        }

        var messages = refused
            .Select(r => $"'{r.Id}' is a {r.Area} settings role; enroll the account in a {r.Area.ToString().ToLowerInvariant()} program that allows role assignment first.")
            .ToArray();
        return Error.BusinessRule(AreaMissingCode, string.Join(" ", messages), new Dictionary<string, string[]> { [field] = messages });
    }
}
