using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;
using PartnerAccounts.Domain.Programs;

namespace PartnerAccounts.Tests.Domain;

public sealed class PrerequisiteRulesTests
{
    private static ProgramDefinition Csp => ProgramCatalogue.Find("csp")!;

    private static EnrollmentFacts Facts(VerificationStatus verification, params (string Program, EnrollmentStatus Status)[] enrollments) =>
        new(verification, enrollments.ToDictionary(e => e.Program, e => e.Status));

    [Test]
    public void MissingToEnroll_WhenNothingHolds_ShouldReportEveryPrerequisiteInCatalogueOrder()
    {
        var missing = PrerequisiteRules.MissingToEnroll(Csp, Facts(VerificationStatus.Pending), enrollerIsGlobalAdmin: false);

        Assert.That(missing.Select(m => m.Prerequisite), Is.EqualTo(new[] { Prerequisite.MpnEnrollment, Prerequisite.VerifiedAccount, Prerequisite.GlobalAdmin }));
        Assert.That(missing.Select(m => m.Message), Has.All.Not.Empty);
    }

    [Test]
    public void MissingToEnroll_WhenEverythingHolds_ShouldBeEmpty() =>
        Assert.That(PrerequisiteRules.MissingToEnroll(Csp, Facts(VerificationStatus.Verified, ("mpn", EnrollmentStatus.Active)), true), Is.Empty);

    [TestCase(EnrollmentStatus.Pending)]
    [TestCase(EnrollmentStatus.Rejected)]
    [TestCase(EnrollmentStatus.Withdrawn)]
    public void MissingToEnroll_WhenMpnEnrollmentIsNotActive_ShouldReportOnlyIt(EnrollmentStatus mpn)
    {
        var missing = PrerequisiteRules.MissingToEnroll(Csp, Facts(VerificationStatus.Verified, ("mpn", mpn)), true);

        Assert.That(missing.Select(m => m.Prerequisite), Is.EqualTo(new[] { Prerequisite.MpnEnrollment }));
    }

    [TestCase(VerificationStatus.Pending)]
    [TestCase(VerificationStatus.InReview)]
    [TestCase(VerificationStatus.ActionRequired)]
    [TestCase(VerificationStatus.Rejected)]
    public void MissingToEnroll_WhenAccountIsNotVerified_ShouldReportVerifiedAccount(VerificationStatus verification)
    {
        var missing = PrerequisiteRules.MissingToEnroll(Csp, Facts(verification, ("mpn", EnrollmentStatus.Active)), true);

        Assert.That(missing.Select(m => m.Prerequisite), Is.EqualTo(new[] { Prerequisite.VerifiedAccount }));
    }

    [Test]
    public void MissingToEnroll_WhenVerificationWasRejected_ShouldSayTheRejectionBlocksTheProgram()
    {
        var missing = PrerequisiteRules.MissingToEnroll(Csp, Facts(VerificationStatus.Rejected, ("mpn", EnrollmentStatus.Active)), true);

        Assert.That(missing.Single().Message, Does.Contain("rejected"));
    }

    [Test]
    public void MissingToEnroll_WhenEnrollerIsNotAGlobalAdmin_ShouldReportGlobalAdmin()
    {
        var missing = PrerequisiteRules.MissingToEnroll(
            ProgramCatalogue.Find("control-panel-vendor")!, Facts(VerificationStatus.Verified, ("mpn", EnrollmentStatus.Active)), enrollerIsGlobalAdmin: false);

        Assert.That(missing.Select(m => m.Prerequisite), Is.EqualTo(new[] { Prerequisite.GlobalAdmin }));
    }

    [TestCase("mpn")]
    [TestCase("commercial-marketplace")]
    [TestCase("windows-and-xbox")]
    [TestCase("office-store")]
    [TestCase("edge-extensions")]
    public void MissingToEnroll_WhenProgramHasNoPrerequisites_ShouldBeEmptyEvenForARejectedAccountAndANonAdmin(string programId) =>
        Assert.That(PrerequisiteRules.MissingToEnroll(ProgramCatalogue.Find(programId)!, Facts(VerificationStatus.Rejected), false), Is.Empty);

    [Test]
    public void MissingToEnroll_ForReferralsWithoutMpn_ShouldReportOnlyMpn() =>
        Assert.That(
            PrerequisiteRules.MissingToEnroll(ProgramCatalogue.Find("referrals")!, Facts(VerificationStatus.Pending), false).Select(m => m.Prerequisite),
            Is.EqualTo(new[] { Prerequisite.MpnEnrollment }));

    [Test]
    public void MissingToActivate_ShouldNotCheckWhoEnrolledButShouldCheckTheAccount()
    {
        var missing = PrerequisiteRules.MissingToActivate(Csp, Facts(VerificationStatus.Rejected));

        Assert.That(missing.Select(m => m.Prerequisite), Is.EqualTo(new[] { Prerequisite.MpnEnrollment, Prerequisite.VerifiedAccount }));
    }

    [Test]
    public void ToError_ShouldBe422WithEveryMessageUnderProgramIdAndTheIdsAsAnExtension()
    {
        var missing = PrerequisiteRules.MissingToEnroll(Csp, Facts(VerificationStatus.Pending), false);

        var error = PrerequisiteRules.ToError(Csp, missing);

        Assert.Multiple(() =>
        {
            Assert.That(error.Kind, Is.EqualTo(ErrorKind.BusinessRule));
            Assert.That(error.Code, Is.EqualTo("program_prerequisite_missing"));
            Assert.That(error.FieldErrors!["programId"], Is.EqualTo(missing.Select(m => m.Message).ToArray()));
            Assert.That(error.Extensions!["missingPrerequisites"], Is.EqualTo(new[] { "mpnEnrollment", "verifiedAccount", "globalAdmin" }));
        });
    }
}
