namespace PartnerAccounts.Domain.Users;

/// <summary>What a member may do in an account. Every endpoint names exactly one.</summary>
public enum Permission
{
    ProfileRead,
    LegalProfileWrite,
    OrganizationProfileWrite,
    SupportProfileWrite,
    BusinessProfileWrite,
    BillingRead,
    BillingWrite,
    TaxExemptionsManage,
    LocationsManage,
    VerificationRead,
    AuditRead,
    UsersRead,
    UsersManage,
    RolesAssign,
    GlobalAdminAssign,
    ProgramsEnroll,
    ApiKeysManage,
}

public enum SettingsArea
{
    Partner,
    Developer,
}

public sealed record Role(string Id, string Name, string Description, SettingsArea Area, IReadOnlySet<Permission> Permissions);

/// <summary>The fixed role catalogue and its role -> permissions map.</summary>
public static class Roles
{
    public const string GlobalAdminId = "global-admin";

    public static readonly Role GlobalAdmin = new(
        GlobalAdminId,
        "Global admin",
        "Has full access to all Partner Center workspaces and settings of the account, including managing users and roles.",
        SettingsArea.Partner,
        Enum.GetValues<Permission>().ToHashSet());

    public static readonly IReadOnlyList<Role> All = [GlobalAdmin];

    private static readonly Dictionary<string, Role> ById = All.ToDictionary(r => r.Id, StringComparer.Ordinal);

    public static Role? Find(string roleId) => ById.GetValueOrDefault(roleId);

    public static bool Grants(IEnumerable<string> roleIds, Permission permission) =>
        roleIds.Any(id => ById.TryGetValue(id, out var role) && role.Permissions.Contains(permission));
}
