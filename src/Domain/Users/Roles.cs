namespace PartnerAccounts.Domain.Users;

/// <summary>What a member may do in an account. Every account endpoint names exactly one.</summary>
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

    /// <summary>Close the account (Global admins only, with the legal-name confirmation).</summary>
    AccountClose,
    WebhooksManage,
}

public enum SettingsArea
{
    Partner,
    Developer,
}

/// <summary>A role of the fixed catalogue. Directory roles (Global admin, User management admin) govern who may manage people.</summary>
public sealed record Role(string Id, string Name, string Description, SettingsArea Area, bool IsDirectoryRole, IReadOnlySet<Permission> Permissions);

/// <summary>The fixed role catalogue and its role -> permissions map, modelled on Partner Center's published role descriptions.</summary>
public static class Roles
{
    public const string GlobalAdminId = "global-admin";
    public const string UserManagementAdminId = "user-management-admin";
    public const string AccountAdminId = "account-admin";
    public const string MpnPartnerAdminId = "mpn-partner-admin";

    private static readonly Permission[] ProfileWrites =
    [
        Permission.LegalProfileWrite, Permission.OrganizationProfileWrite, Permission.SupportProfileWrite, Permission.BusinessProfileWrite,
    ];

    public static readonly Role GlobalAdmin = new(
        GlobalAdminId,
        "Global admin",
        "Full access to every workspace and setting of the account: profiles, billing, programs, API keys, webhooks, users and every role including Global admin.",
        SettingsArea.Partner,
        IsDirectoryRole: true,
        Enum.GetValues<Permission>().ToHashSet());

    public static readonly IReadOnlyList<Role> All =
    [
        GlobalAdmin,
        new(UserManagementAdminId, "User management admin",
            "Manages the account's users: invites and removes people, resets passwords and assigns every role except Global admin.",
            SettingsArea.Partner, IsDirectoryRole: true,
            Set(Permission.ProfileRead, Permission.UsersRead, Permission.UsersManage, Permission.RolesAssign)),
        new(AccountAdminId, "Account admin",
            "Manages the account's profiles, billing, locations, program enrollment, API keys and webhooks, and assigns non-directory roles; cannot manage users.",
            SettingsArea.Partner, IsDirectoryRole: false,
            Set([Permission.ProfileRead, .. ProfileWrites, Permission.BillingRead, Permission.BillingWrite, Permission.TaxExemptionsManage,
                Permission.LocationsManage, Permission.VerificationRead, Permission.AuditRead, Permission.UsersRead, Permission.RolesAssign,
                Permission.ProgramsEnroll, Permission.ApiKeysManage, Permission.WebhooksManage])),
        new(MpnPartnerAdminId, "MPN partner admin",
            "Manages the partner network membership: the organization and marketing profiles, locations and MPN program enrollment; sees users and roles but cannot assign them.",
            SettingsArea.Partner, IsDirectoryRole: false,
            Set(Permission.ProfileRead, Permission.OrganizationProfileWrite, Permission.BusinessProfileWrite, Permission.LocationsManage,
                Permission.VerificationRead, Permission.UsersRead, Permission.ProgramsEnroll)),
        new("admin-agent", "Admin agent",
            "Manages customers' services on their behalf; reads the account's profiles.",
            SettingsArea.Partner, IsDirectoryRole: false, Set(Permission.ProfileRead, Permission.VerificationRead)),
        new("sales-agent", "Sales agent",
            "Creates customers and orders; reads the account's profiles.",
            SettingsArea.Partner, IsDirectoryRole: false, Set(Permission.ProfileRead)),
        new("helpdesk-agent", "Helpdesk agent",
            "Handles customers' service requests; reads the account's profiles and keeps the support profile current.",
            SettingsArea.Partner, IsDirectoryRole: false, Set(Permission.ProfileRead, Permission.SupportProfileWrite)),
        new("billing-admin", "Billing admin",
            "Manages billing: the billing profile, bank information and tax exemptions.",
            SettingsArea.Partner, IsDirectoryRole: false,
            Set(Permission.ProfileRead, Permission.BillingRead, Permission.BillingWrite, Permission.TaxExemptionsManage)),
        new("referrals-admin", "Referrals admin",
            "Manages referrals and the marketing (business) profile customers see.",
            SettingsArea.Partner, IsDirectoryRole: false, Set(Permission.ProfileRead, Permission.BusinessProfileWrite)),
        new("incentive-admin", "Incentive admin",
            "Manages incentive programs and the payout and tax profile they need.",
            SettingsArea.Partner, IsDirectoryRole: false,
            Set(Permission.ProfileRead, Permission.BillingRead, Permission.BillingWrite, Permission.TaxExemptionsManage)),
        new("incentive-user", "Incentive user",
            "Views incentive programs and their payouts.",
            SettingsArea.Partner, IsDirectoryRole: false, Set(Permission.ProfileRead, Permission.BillingRead)),
        new("manager", "Manager",
            "Complete access to the developer account except managing users: profiles, payout and tax, program enrollment, API keys.",
            SettingsArea.Developer, IsDirectoryRole: false,
            Set([Permission.ProfileRead, .. ProfileWrites, Permission.BillingRead, Permission.BillingWrite, Permission.TaxExemptionsManage,
                Permission.LocationsManage, Permission.VerificationRead, Permission.AuditRead, Permission.UsersRead, Permission.ProgramsEnroll,
                Permission.ApiKeysManage])),
        new("developer", "Developer",
            "Uploads packages and submits apps and add-ons; reads the account's profiles.",
            SettingsArea.Developer, IsDirectoryRole: false, Set(Permission.ProfileRead)),
        new("business-contributor", "Business contributor",
            "Views financial reports and the marketing profile; edits the business profile.",
            SettingsArea.Developer, IsDirectoryRole: false, Set(Permission.ProfileRead, Permission.BusinessProfileWrite)),
        new("financial-contributor", "Financial contributor",
            "Manages payout and tax profiles and views payout reports.",
            SettingsArea.Developer, IsDirectoryRole: false,
            Set(Permission.ProfileRead, Permission.BillingRead, Permission.BillingWrite, Permission.TaxExemptionsManage)),
        new("marketer", "Marketer",
            "Manages marketing: the business profile and listings.",
            SettingsArea.Developer, IsDirectoryRole: false, Set(Permission.ProfileRead, Permission.BusinessProfileWrite)),
    ];

    private static readonly Dictionary<string, Role> ById = All.ToDictionary(r => r.Id, StringComparer.Ordinal);

    public static Role? Find(string roleId) => ById.GetValueOrDefault(roleId);

    public static bool Grants(IEnumerable<string> roleIds, Permission permission) =>
        roleIds.Any(id => ById.TryGetValue(id, out var role) && role.Permissions.Contains(permission));

    /// <summary>
    /// The permission needed to grant or revoke <paramref name="role"/>: Global admin needs GlobalAdminAssign (Global admins only),
    /// another directory role needs UsersManage (Global and User management admins), any other role RolesAssign.
    /// </summary>
    public static Permission PermissionToAssign(Role role) =>
        role.Id == GlobalAdminId ? Permission.GlobalAdminAssign : role.IsDirectoryRole ? Permission.UsersManage : Permission.RolesAssign;

    private static HashSet<Permission> Set(params Permission[] permissions) => [.. permissions];
}
