using PartnerAccounts.Domain.Accounts;

namespace PartnerAccounts.Tests.Domain;

public sealed class VerificationRulesTests
{
    private static readonly DateTime Now = new(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [TestCase(VerificationStatus.Pending, VerificationStatus.InReview, true)]
    [TestCase(VerificationStatus.Pending, VerificationStatus.Verified, true)]
    [TestCase(VerificationStatus.Pending, VerificationStatus.Rejected, true)]
    [TestCase(VerificationStatus.Pending, VerificationStatus.ActionRequired, true)]
    [TestCase(VerificationStatus.InReview, VerificationStatus.Verified, true)]
    [TestCase(VerificationStatus.InReview, VerificationStatus.InReview, false)]
    [TestCase(VerificationStatus.ActionRequired, VerificationStatus.InReview, true)]
    [TestCase(VerificationStatus.ActionRequired, VerificationStatus.ActionRequired, false)]
    [TestCase(VerificationStatus.Rejected, VerificationStatus.InReview, true)]
    [TestCase(VerificationStatus.Rejected, VerificationStatus.Verified, false)]
    [TestCase(VerificationStatus.Verified, VerificationStatus.Rejected, true)]
    [TestCase(VerificationStatus.Verified, VerificationStatus.InReview, false)]
    [TestCase(VerificationStatus.Verified, VerificationStatus.Pending, false)]
    [TestCase(VerificationStatus.InReview, VerificationStatus.Pending, false)]
    public void CanMove_ShouldFollowTheReviewWorkflow(VerificationStatus from, VerificationStatus to, bool allowed) =>
        Assert.That(VerificationRules.CanMove(from, to), Is.EqualTo(allowed));

    [Test]
    public void DecideVerification_WhenRejectingWithoutReason_ShouldFailAndKeepTheStatus()
    {
        var account = Account.Create(Guid.NewGuid(), "1234567", Now);

        var result = account.DecideVerification(VerificationStatus.Rejected, " ", Now.AddHours(1));

        Assert.That(result.Error?.Code, Is.EqualTo("verification_reason_required"));
        Assert.That(account.VerificationStatus, Is.EqualTo(VerificationStatus.Pending));
        Assert.That(account.Version, Is.EqualTo(1));
    }

    [Test]
    public void RestartVerification_WhenVerified_ShouldGoBackToPendingAndBumpTheVersion()
    {
        var account = Account.Create(Guid.NewGuid(), "1234567", Now);
        Assert.That(account.DecideVerification(VerificationStatus.Verified, null, Now).IsSuccess, Is.True);

        account.RestartVerification(Now.AddDays(1));

        Assert.Multiple(() =>
        {
            Assert.That(account.VerificationStatus, Is.EqualTo(VerificationStatus.Pending));
            Assert.That(account.VerificationUpdatedAt, Is.EqualTo(Now.AddDays(1)));
            Assert.That(account.Version, Is.EqualTo(3));
        });
    }

    [Test]
    public void RestartVerification_WhenAlreadyPending_ShouldChangeNothing()
    {
        var account = Account.Create(Guid.NewGuid(), "1234567", Now);

        account.RestartVerification(Now.AddDays(1));

        Assert.That(account.Version, Is.EqualTo(1));
        Assert.That(account.VerificationUpdatedAt, Is.EqualTo(Now));
    }
}
