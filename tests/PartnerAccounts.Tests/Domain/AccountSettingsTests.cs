using PartnerAccounts.Domain.Programs;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Tests.Domain;

public sealed class AccountSettingsTests
{
    private static Role Role(string id) => Roles.Find(id)!;

    [Test]
    public void Of_WhenNoProgramIsLive_ShouldHaveNoAreaAssignPartnerRolesAndShowMpnIdInThePartnerProfile()
    {
        var settings = AccountSettings.Of([]);

        Assert.Multiple(() =>
        {
            Assert.That(settings.Areas, Is.Empty);
            Assert.That(settings.RoleAreas, Is.EqualTo(new[] { SettingsArea.Partner }));
            Assert.That(settings.MpnIdShownIn, Is.EqualTo(MpnIdPlacement.PartnerProfile));
        });
    }

    [TestCase("mpn")]
    [TestCase("csp")]
    [TestCase("referrals")]
    [TestCase("control-panel-vendor")]
    public void Of_WithAPartnerProgram_ShouldHaveThePartnerArea(string programId)
    {
        var settings = AccountSettings.Of([programId]);

        Assert.That(settings.Areas, Is.EqualTo(new[] { SettingsArea.Partner }));
        Assert.That(settings.MpnIdShownIn, Is.EqualTo(MpnIdPlacement.PartnerProfile));
    }

    [TestCase("commercial-marketplace")]
    [TestCase("windows-and-xbox")]
    [TestCase("office-store")]
    public void Of_WithOnlyADeveloperProgramThatAllowsRoles_ShouldBeDeveloperOnlyWithDeveloperRolesAndMpnIdInAccountSettings(string programId)
    {
        var settings = AccountSettings.Of([programId]);

        Assert.Multiple(() =>
        {
            Assert.That(settings.Areas, Is.EqualTo(new[] { SettingsArea.Developer }));
            Assert.That(settings.RoleAreas, Is.EqualTo(new[] { SettingsArea.Partner, SettingsArea.Developer }));
            Assert.That(settings.MpnIdShownIn, Is.EqualTo(MpnIdPlacement.AccountSettings));
        });
    }

    [Test]
    public void Of_WithOnlyEdgeExtensions_ShouldHaveTheDeveloperAreaButNotItsRoles()
    {
        var settings = AccountSettings.Of(["edge-extensions"]);

        Assert.That(settings.Areas, Is.EqualTo(new[] { SettingsArea.Developer }));
        Assert.That(settings.RoleAreas, Is.EqualTo(new[] { SettingsArea.Partner }));
        Assert.That(settings.CanAssign(Role("developer")), Is.False);
    }

    [Test]
    public void Of_WithBothAreas_ShouldShowMpnIdInThePartnerProfile()
    {
        var settings = AccountSettings.Of(["office-store", "mpn"]);

        Assert.That(settings.Areas, Is.EqualTo(new[] { SettingsArea.Partner, SettingsArea.Developer }));
        Assert.That(settings.MpnIdShownIn, Is.EqualTo(MpnIdPlacement.PartnerProfile));
    }

    [TestCase("global-admin")]
    [TestCase("user-management-admin")]
    [TestCase("sales-agent")]
    [TestCase("billing-admin")]
    public void CanAssign_APartnerRole_ShouldAlwaysBeAllowed(string roleId) =>
        Assert.That(AccountSettings.Of([]).CanAssign(Role(roleId)), Is.True);

    [Test]
    public void CheckAssignable_WhenDeveloperRolesLackTheirArea_ShouldFailListingEachUnderTheField()
    {
        var result = AccountSettings.Of(["edge-extensions", "mpn"]).CheckAssignable([Role("sales-agent"), Role("developer"), Role("marketer")], "roles");

        Assert.That(result.Error?.Code, Is.EqualTo("settings_area_missing"));
        Assert.That(result.Error!.Kind, Is.EqualTo(PartnerAccounts.Domain.Common.ErrorKind.BusinessRule));
        Assert.That(result.Error.FieldErrors!["roles"], Has.Length.EqualTo(2));
        Assert.That(result.Error.FieldErrors["roles"], Has.Some.Contains("'developer'").And.Some.Contains("'marketer'"));
    }

    [Test]
    public void CheckAssignable_WhenADeveloperProgramAllowsRoles_ShouldAllowEveryDeveloperRole() =>
        Assert.That(
            AccountSettings.Of(["windows-and-xbox"]).CheckAssignable(Roles.All.Where(r => r.Area == SettingsArea.Developer), "roles").IsSuccess,
            Is.True);
}
