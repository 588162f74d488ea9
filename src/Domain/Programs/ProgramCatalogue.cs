using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Domain.Programs;

/// <summary>Something an account (or the person enrolling it) must have before it may enroll in a program.</summary>
public enum Prerequisite
{
    /// <summary>An active enrollment in the partner network (MPN).</summary>
    MpnEnrollment,

    /// <summary>The account's verification is <c>verified</c>.</summary>
    VerifiedAccount,

    /// <summary>The person enrolling holds the Global admin role.</summary>
    GlobalAdmin,
}

/// <summary>
/// A program of the fixed catalogue. <paramref name="Area"/> is the settings area an enrollment opens;
/// <paramref name="AllowsRoleAssignment"/> says whether an enrollment makes that area's roles assignable.
/// </summary>
public sealed record ProgramDefinition(
    string Id,
    string Name,
    string Description,
    SettingsArea Area,
    IReadOnlyList<Prerequisite> Prerequisites,
    bool AllowsRoleAssignment)
{
    /// <summary>Whether the prerequisites are about the account's state (as opposed to who enrolls); these must still hold when an operator activates.</summary>
    public static bool IsAboutTheAccount(Prerequisite prerequisite) => prerequisite is not Prerequisite.GlobalAdmin;

    /// <summary>The roles whose holders may enroll the account: Global admins only when the program says so, else every role that grants program enrollment.</summary>
    public IReadOnlyList<Role> EnrollingRoles => Prerequisites.Contains(Prerequisite.GlobalAdmin)
        ? [Roles.GlobalAdmin]
        : [.. Roles.All.Where(r => r.Permissions.Contains(Permission.ProgramsEnroll))];
}

/// <summary>The fixed program catalogue, modelled on Partner Center's programs and their settings areas.</summary>
public static class ProgramCatalogue
{
    public const string MpnId = "mpn";
    public const string CspId = "csp";
    public const string ReferralsId = "referrals";
    public const string CommercialMarketplaceId = "commercial-marketplace";
    public const string WindowsAndXboxId = "windows-and-xbox";
    public const string OfficeStoreId = "office-store";
    public const string EdgeExtensionsId = "edge-extensions";
    public const string ControlPanelVendorId = "control-panel-vendor";

    /// <summary>The longest program id the API accepts; anything longer cannot be a program.</summary>
    public const int MaxIdLength = 64;

    public static readonly IReadOnlyList<ProgramDefinition> All =
    [
        new(MpnId, "Partner network (MPN)",
            "Membership of the Microsoft partner network: the company's MPN ID, its locations and partner benefits. The base of the other partner programs.",
            SettingsArea.Partner, [], AllowsRoleAssignment: true),
        new(CspId, "Cloud Solution Provider (CSP)",
            "Resell Microsoft cloud services and manage customers' subscriptions. Needs an active partner network enrollment and a verified account; only a Global admin may enroll.",
            SettingsArea.Partner, [Prerequisite.MpnEnrollment, Prerequisite.VerifiedAccount, Prerequisite.GlobalAdmin], AllowsRoleAssignment: true),
        new(ReferralsId, "Referrals",
            "Receive and share customer referrals with Microsoft. Needs an active partner network enrollment.",
            SettingsArea.Partner, [Prerequisite.MpnEnrollment], AllowsRoleAssignment: true),
        new(CommercialMarketplaceId, "Commercial Marketplace",
            "Publish SaaS offers, apps and services to Microsoft AppSource and Azure Marketplace.",
            SettingsArea.Developer, [], AllowsRoleAssignment: true),
        new(WindowsAndXboxId, "Windows and Xbox",
            "Publish apps and games to the Microsoft Store on Windows and Xbox.",
            SettingsArea.Developer, [], AllowsRoleAssignment: true),
        new(OfficeStoreId, "Office Store",
            "Publish Office add-ins, Microsoft 365 and Teams apps.",
            SettingsArea.Developer, [], AllowsRoleAssignment: true),
        new(EdgeExtensionsId, "Edge extensions",
            "Publish extensions for Microsoft Edge. It grants no roles of its own: an account whose only developer program it is cannot assign developer roles.",
            SettingsArea.Developer, [], AllowsRoleAssignment: false),
        new(ControlPanelVendorId, "Control Panel Vendor (CPV)",
            "Build control panels that manage CSP partners' customers through Microsoft APIs. Needs an active partner network enrollment and a verified account; only a Global admin may enroll.",
            SettingsArea.Partner, [Prerequisite.MpnEnrollment, Prerequisite.VerifiedAccount, Prerequisite.GlobalAdmin], AllowsRoleAssignment: true),
    ];

    private static readonly Dictionary<string, ProgramDefinition> ById = All.ToDictionary(p => p.Id, StringComparer.Ordinal);

    private static readonly Dictionary<string, int> Positions = All.Select((p, i) => (p.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);

    public static ProgramDefinition? Find(string? programId) => programId is null ? null : ById.GetValueOrDefault(programId);

    /// <summary>The program's place in the catalogue, the order every list of programs follows.</summary>
    public static int PositionOf(string programId) => Positions.GetValueOrDefault(programId, int.MaxValue);

    /// <summary>The programs that need an active enrollment in <paramref name="programId"/> (only MPN has any).</summary>
    public static IEnumerable<ProgramDefinition> DependentsOf(string programId) => programId == MpnId
        ? All.Where(p => p.Prerequisites.Contains(Prerequisite.MpnEnrollment))
        : [];
}
