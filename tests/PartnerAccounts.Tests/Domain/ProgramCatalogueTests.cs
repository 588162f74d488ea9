using PartnerAccounts.Domain.Programs;
using PartnerAccounts.Domain.Users;

namespace PartnerAccounts.Tests.Domain;

public sealed class ProgramCatalogueTests
{
    [Test]
    public void All_ShouldHoldTheEightProgramsInTheirSettingsAreas()
    {
        var areas = ProgramCatalogue.All.ToDictionary(p => p.Id, p => p.Area);

        Assert.That(areas, Is.EquivalentTo(new Dictionary<string, SettingsArea>
        {
            ["mpn"] = SettingsArea.Partner,
            ["csp"] = SettingsArea.Partner,
            ["referrals"] = SettingsArea.Partner,
            ["control-panel-vendor"] = SettingsArea.Partner,
            ["commercial-marketplace"] = SettingsArea.Developer,
            ["windows-and-xbox"] = SettingsArea.Developer,
            ["office-store"] = SettingsArea.Developer,
            ["edge-extensions"] = SettingsArea.Developer,
        }));
    }

    [Test]
    public void All_ShouldHaveSlugIdsNamesAndDescriptions()
    {
        Assert.Multiple(() =>
        {
            foreach (var program in ProgramCatalogue.All)
            {
                Assert.That(program.Id, Does.Match("^[a-z]+(-[a-z]+)*$").And.Length.LessThanOrEqualTo(ProgramCatalogue.MaxIdLength));
                Assert.That(program.Name, Is.Not.Empty);
                Assert.That(program.Description, Is.Not.Empty);
            }
        });
    }

    [TestCase("csp")]
    [TestCase("control-panel-vendor")]
    public void Prerequisites_OfCspAndControlPanelVendor_ShouldBeMpnVerifiedAccountAndGlobalAdmin(string programId)
    {
        var program = ProgramCatalogue.Find(programId)!;

        Assert.That(program.Prerequisites, Is.EquivalentTo(new[] { Prerequisite.MpnEnrollment, Prerequisite.VerifiedAccount, Prerequisite.GlobalAdmin }));
        Assert.That(program.EnrollingRoles.Select(r => r.Id), Is.EqualTo(new[] { Roles.GlobalAdminId }));
    }

    [Test]
    public void Prerequisites_OfReferrals_ShouldBeAnMpnEnrollment() =>
        Assert.That(ProgramCatalogue.Find("referrals")!.Prerequisites, Is.EqualTo(new[] { Prerequisite.MpnEnrollment }));

    [TestCase("mpn")]
    [TestCase("commercial-marketplace")]
    [TestCase("windows-and-xbox")]
    [TestCase("office-store")]
    [TestCase("edge-extensions")]
    public void EnrollingRoles_OfAProgramWithoutGlobalAdminPrerequisite_ShouldBeEveryRoleThatGrantsProgramsEnroll(string programId)
    {
        var program = ProgramCatalogue.Find(programId)!;

        Assert.That(program.Prerequisites, Does.Not.Contain(Prerequisite.GlobalAdmin));
        Assert.That(program.EnrollingRoles.Select(r => r.Id), Is.EquivalentTo(new[] { "global-admin", "account-admin", "mpn-partner-admin", "manager" }));
    }

    [Test]
    public void AllowsRoleAssignment_ShouldBeFalseOnlyForEdgeExtensions() =>
        Assert.That(ProgramCatalogue.All.Where(p => !p.AllowsRoleAssignment).Select(p => p.Id), Is.EqualTo(new[] { "edge-extensions" }));

    [TestCase(null)]
    [TestCase("")]
    [TestCase("CSP")]
    [TestCase("unknown")]
    public void Find_WhenIdIsNotAProgram_ShouldReturnNull(string? programId) =>
        Assert.That(ProgramCatalogue.Find(programId), Is.Null);

    [Test]
    public void DependentsOf_Mpn_ShouldBeThePartnerProgramsThatNeedIt() =>
        Assert.That(ProgramCatalogue.DependentsOf("mpn").Select(p => p.Id), Is.EquivalentTo(new[] { "csp", "referrals", "control-panel-vendor" }));

    [Test]
    public void DependentsOf_AnyOtherProgram_ShouldBeEmpty() =>
        Assert.That(ProgramCatalogue.All.Where(p => p.Id != "mpn").SelectMany(p => ProgramCatalogue.DependentsOf(p.Id)), Is.Empty);
}
