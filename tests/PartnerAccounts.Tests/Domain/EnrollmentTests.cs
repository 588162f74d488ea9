using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Programs;

namespace PartnerAccounts.Tests.Domain;

public sealed class EnrollmentTests
{
    private static readonly DateTime Now = new(2025, 3, 4, 5, 6, 7, DateTimeKind.Utc);
    private static readonly Guid AccountId = Guid.NewGuid();

    private static ProgramDefinition Mpn => ProgramCatalogue.Find("mpn")!;

    private static ProgramDefinition Csp => ProgramCatalogue.Find("csp")!;

    private static EnrollmentFacts Facts(VerificationStatus verification = VerificationStatus.Pending, params (string Program, EnrollmentStatus Status)[] enrollments) =>
        new(verification, enrollments.ToDictionary(e => e.Program, e => e.Status));

    /// <summary>A new pending enrollment; for a program that needs MPN, the account has an active MPN enrollment and is verified.</summary>
    private static Enrollment Pending(ProgramDefinition? program = null)
    {
        program ??= Mpn;
        var facts = program.Id == "mpn" ? Facts(VerificationStatus.Verified) : Facts(VerificationStatus.Verified, ("mpn", EnrollmentStatus.Active));
        return Enrollment.Start(AccountId, program, facts, enrollerIsGlobalAdmin: true, Now).Value;
    }

    private static Enrollment InStatus(EnrollmentStatus status)
    {
        var enrollment = Pending();
        var moved = status switch
        {
            EnrollmentStatus.Active => enrollment.Decide(EnrollmentStatus.Active, null, Mpn, Facts(), Now),
            EnrollmentStatus.Rejected => enrollment.Decide(EnrollmentStatus.Rejected, "No.", Mpn, Facts(), Now),
            EnrollmentStatus.Withdrawn => enrollment.Withdraw(Facts(), Now),
            _ => PartnerAccounts.Domain.Common.Success.Value,
        };
        Assert.That(moved.IsSuccess, Is.True);
        return enrollment;
    }

    [Test]
    public void Start_WhenPrerequisitesHold_ShouldBePendingAtVersionOne()
    {
        var result = Enrollment.Start(AccountId, Mpn, Facts(), enrollerIsGlobalAdmin: false, Now);

        Assert.That(result.IsSuccess, Is.True);
        var enrollment = result.Value;
        Assert.Multiple(() =>
        {
            Assert.That(enrollment.AccountId, Is.EqualTo(AccountId));
            Assert.That(enrollment.ProgramId, Is.EqualTo("mpn"));
            Assert.That(enrollment.Status, Is.EqualTo(EnrollmentStatus.Pending));
            Assert.That(enrollment.Reason, Is.Null);
            Assert.That(enrollment.EnrolledAt, Is.EqualTo(Now));
            Assert.That(enrollment.UpdatedAt, Is.EqualTo(Now));
            Assert.That(enrollment.Version, Is.EqualTo(1));
            Assert.That(enrollment.IsLive, Is.True);
        });
    }

    [Test]
    public void Start_WhenPrerequisitesAreMissing_ShouldFailWithEveryOne()
    {
        var result = Enrollment.Start(AccountId, Csp, Facts(VerificationStatus.Rejected), enrollerIsGlobalAdmin: false, Now);

        Assert.That(result.Error?.Code, Is.EqualTo("program_prerequisite_missing"));
        Assert.That(result.Error!.Extensions!["missingPrerequisites"], Is.EqualTo(new[] { "mpnEnrollment", "verifiedAccount", "globalAdmin" }));
    }

    [TestCase(EnrollmentStatus.Pending)]
    [TestCase(EnrollmentStatus.Active)]
    public void Start_WhenTheFactsShowALiveEnrollment_ShouldFailAlreadyEnrolled(EnrollmentStatus status) =>
        Assert.That(Enrollment.Start(AccountId, Mpn, Facts(VerificationStatus.Pending, ("mpn", status)), true, Now).Error?.Code, Is.EqualTo("already_enrolled"));

    [Test]
    public void Decide_WhenActivatingAPendingEnrollment_ShouldBeActiveWithANewVersion()
    {
        var enrollment = Pending();

        var result = enrollment.Decide(EnrollmentStatus.Active, "  Welcome.  ", Mpn, Facts(), Now.AddDays(1));

        Assert.That(result.IsSuccess, Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(enrollment.Status, Is.EqualTo(EnrollmentStatus.Active));
            Assert.That(enrollment.Reason, Is.EqualTo("Welcome."));
            Assert.That(enrollment.UpdatedAt, Is.EqualTo(Now.AddDays(1)));
            Assert.That(enrollment.EnrolledAt, Is.EqualTo(Now));
            Assert.That(enrollment.Version, Is.EqualTo(2));
        });
    }

    [Test]
    public void Decide_WhenRejectingWithAReason_ShouldBeRejectedAndNoLongerLive()
    {
        var enrollment = Pending();

        Assert.That(enrollment.Decide(EnrollmentStatus.Rejected, "Incomplete.", Mpn, Facts(), Now).IsSuccess, Is.True);

        Assert.That(enrollment.Status, Is.EqualTo(EnrollmentStatus.Rejected));
        Assert.That(enrollment.Reason, Is.EqualTo("Incomplete."));
        Assert.That(enrollment.IsLive, Is.False);
    }

    [TestCase(null)]
    [TestCase("  ")]
    public void Decide_WhenRejectingWithoutAReason_ShouldFailAndStayPending(string? reason)
    {
        var enrollment = Pending();

        var result = enrollment.Decide(EnrollmentStatus.Rejected, reason, Mpn, Facts(), Now);

        Assert.That(result.Error?.Code, Is.EqualTo("enrollment_reason_required"));
        Assert.That(result.Error!.FieldErrors!.Keys, Is.EquivalentTo(new[] { "reason" }));
        Assert.That(enrollment.Status, Is.EqualTo(EnrollmentStatus.Pending));
        Assert.That(enrollment.Version, Is.EqualTo(1));
    }

    [TestCase(EnrollmentStatus.Active, EnrollmentStatus.Active)]
    [TestCase(EnrollmentStatus.Active, EnrollmentStatus.Rejected)]
    [TestCase(EnrollmentStatus.Rejected, EnrollmentStatus.Active)]
    [TestCase(EnrollmentStatus.Withdrawn, EnrollmentStatus.Active)]
    [TestCase(EnrollmentStatus.Withdrawn, EnrollmentStatus.Rejected)]
    [TestCase(EnrollmentStatus.Pending, EnrollmentStatus.Pending)]
    [TestCase(EnrollmentStatus.Pending, EnrollmentStatus.Withdrawn)]
    public void Decide_WhenTheTransitionIsNotAllowed_ShouldFailWithConflictAndChangeNothing(EnrollmentStatus from, EnrollmentStatus decision)
    {
        var enrollment = InStatus(from);
        var version = enrollment.Version;

        var result = enrollment.Decide(decision, "Because.", Mpn, Facts(), Now);

        Assert.That(result.Error?.Code, Is.EqualTo("invalid_enrollment_transition"));
        Assert.That(result.Error!.Kind, Is.EqualTo(PartnerAccounts.Domain.Common.ErrorKind.Conflict));
        Assert.That(enrollment.Status, Is.EqualTo(from));
        Assert.That(enrollment.Version, Is.EqualTo(version));
    }

    [Test]
    public void Decide_WhenActivatingCspAfterTheAccountLostItsPrerequisites_ShouldFailAndStayPending()
    {
        var enrollment = Pending(Csp);

        var result = enrollment.Decide(EnrollmentStatus.Active, null, Csp, Facts(VerificationStatus.Rejected, ("mpn", EnrollmentStatus.Active)), Now);

        Assert.That(result.Error?.Code, Is.EqualTo("program_prerequisite_missing"));
        Assert.That(result.Error!.Extensions!["missingPrerequisites"], Is.EqualTo(new[] { "verifiedAccount" }));
        Assert.That(enrollment.Status, Is.EqualTo(EnrollmentStatus.Pending));
    }

    [Test]
    public void Decide_WhenRejectingCspWhosePrerequisitesNoLongerHold_ShouldStillReject() =>
        Assert.That(Pending(Csp).Decide(EnrollmentStatus.Rejected, "No.", Csp, Facts(VerificationStatus.Rejected), Now).IsSuccess, Is.True);

    [TestCase(EnrollmentStatus.Pending)]
    [TestCase(EnrollmentStatus.Active)]
    public void Withdraw_WhenLive_ShouldBeWithdrawnWithoutReason(EnrollmentStatus from)
    {
        var enrollment = InStatus(from);
        var version = enrollment.Version;

        Assert.That(enrollment.Withdraw(Facts(), Now.AddDays(2)).IsSuccess, Is.True);

        Assert.Multiple(() =>
        {
            Assert.That(enrollment.Status, Is.EqualTo(EnrollmentStatus.Withdrawn));
            Assert.That(enrollment.Reason, Is.Null);
            Assert.That(enrollment.UpdatedAt, Is.EqualTo(Now.AddDays(2)));
            Assert.That(enrollment.Version, Is.EqualTo(version + 1));
        });
    }

    [TestCase(EnrollmentStatus.Rejected)]
    [TestCase(EnrollmentStatus.Withdrawn)]
    public void Withdraw_WhenNotLive_ShouldFailWithConflict(EnrollmentStatus from)
    {
        var enrollment = InStatus(from);

        Assert.That(enrollment.Withdraw(Facts(), Now).Error?.Code, Is.EqualTo("invalid_enrollment_transition"));
        Assert.That(enrollment.Status, Is.EqualTo(from));
    }

    [TestCase("csp", EnrollmentStatus.Pending)]
    [TestCase("referrals", EnrollmentStatus.Active)]
    [TestCase("control-panel-vendor", EnrollmentStatus.Active)]
    public void Withdraw_OfMpnWhileAProgramThatNeedsItIsLive_ShouldFailNamingIt(string dependent, EnrollmentStatus status)
    {
        var mpn = InStatus(EnrollmentStatus.Active);

        var result = mpn.Withdraw(Facts(VerificationStatus.Verified, ("mpn", EnrollmentStatus.Active), (dependent, status)), Now);

        Assert.That(result.Error?.Code, Is.EqualTo("program_has_dependents"));
        Assert.That(result.Error!.Message, Does.Contain(ProgramCatalogue.Find(dependent)!.Name));
        Assert.That(mpn.Status, Is.EqualTo(EnrollmentStatus.Active));
    }

    [Test]
    public void Withdraw_OfMpnWhenItsDependentsAreWithdrawnOrRejected_ShouldSucceed()
    {
        var mpn = InStatus(EnrollmentStatus.Active);

        var result = mpn.Withdraw(Facts(VerificationStatus.Verified, ("mpn", EnrollmentStatus.Active), ("csp", EnrollmentStatus.Withdrawn), ("referrals", EnrollmentStatus.Rejected)), Now);

        Assert.That(result.IsSuccess, Is.True);
    }

    [TestCase(EnrollmentStatus.Rejected)]
    [TestCase(EnrollmentStatus.Withdrawn)]
    public void Reenroll_AfterAWithdrawalOrRejection_ShouldBePendingAgainWithoutReason(EnrollmentStatus from)
    {
        var enrollment = InStatus(from);
        var version = enrollment.Version;

        var result = enrollment.Reenroll(Mpn, Facts(), enrollerIsGlobalAdmin: false, Now.AddDays(3));

        Assert.That(result.IsSuccess, Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(enrollment.Status, Is.EqualTo(EnrollmentStatus.Pending));
            Assert.That(enrollment.Reason, Is.Null);
            Assert.That(enrollment.EnrolledAt, Is.EqualTo(Now.AddDays(3)));
            Assert.That(enrollment.Version, Is.EqualTo(version + 1));
        });
    }

    [TestCase(EnrollmentStatus.Pending)]
    [TestCase(EnrollmentStatus.Active)]
    public void Reenroll_WhenLive_ShouldFailAlreadyEnrolled(EnrollmentStatus from)
    {
        var enrollment = InStatus(from);

        Assert.That(enrollment.Reenroll(Mpn, Facts(), true, Now).Error?.Code, Is.EqualTo("already_enrolled"));
        Assert.That(enrollment.Status, Is.EqualTo(from));
    }

    [Test]
    public void Reenroll_WhenPrerequisitesNoLongerHold_ShouldFailAndStayWithdrawn()
    {
        var csp = Pending(Csp);
        Assert.That(csp.Withdraw(Facts(), Now).IsSuccess, Is.True);

        var result = csp.Reenroll(Csp, Facts(VerificationStatus.Verified), enrollerIsGlobalAdmin: true, Now);

        Assert.That(result.Error?.Code, Is.EqualTo("program_prerequisite_missing"));
        Assert.That(csp.Status, Is.EqualTo(EnrollmentStatus.Withdrawn));
    }
}
