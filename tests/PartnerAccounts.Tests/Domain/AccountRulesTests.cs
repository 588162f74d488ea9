using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Tests.Domain;

public sealed class AccountRulesTests
{
    private static readonly DateTime Now = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    private static readonly Address Home = new("1 Main St", null, "Seattle", "WA", "98101", "US");
    private static readonly Contact Pat = new("Pat", "Lee", "pat@example.com", null);

    [TestCase(VerificationStatus.Pending, VerificationStatus.InReview, true)]
    [TestCase(VerificationStatus.Pending, VerificationStatus.Verified, true)]
    [TestCase(VerificationStatus.InReview, VerificationStatus.Verified, true)]
    [TestCase(VerificationStatus.InReview, VerificationStatus.InReview, false)]
    [TestCase(VerificationStatus.ActionRequired, VerificationStatus.InReview, true)]
    [TestCase(VerificationStatus.Rejected, VerificationStatus.InReview, true)]
    [TestCase(VerificationStatus.Rejected, VerificationStatus.Verified, false)]
    [TestCase(VerificationStatus.Verified, VerificationStatus.Rejected, true)]
    [TestCase(VerificationStatus.Verified, VerificationStatus.InReview, false)]
    [TestCase(VerificationStatus.Verified, VerificationStatus.Pending, false)]
    public void CanMove_WhenDecidingFromAStatus_ShouldFollowTheTransitionTable(VerificationStatus from, VerificationStatus to, bool allowed) =>
        Assert.That(VerificationRules.CanMove(from, to), Is.EqualTo(allowed));

    [Test]
    public void DecideVerification_WhenRejectedWithoutReason_ShouldFailAndChangeNothing()
    {
        var account = Account.Create(Guid.NewGuid(), "1234567", Now);

        var result = account.DecideVerification(VerificationStatus.Rejected, "  ", Now.AddDays(1));

        Assert.That(result.Error?.Code, Is.EqualTo("verification_reason_required"));
        Assert.That(account.VerificationStatus, Is.EqualTo(VerificationStatus.Pending));
        Assert.That(account.Version, Is.EqualTo(1));
    }

    [Test]
    public void DecideVerification_WhenTransitionIsInvalid_ShouldBeAConflict()
    {
        var account = Account.Create(Guid.NewGuid(), "1234567", Now);
        Assert.That(account.DecideVerification(VerificationStatus.Verified, null, Now).IsSuccess, Is.True);

        var result = account.DecideVerification(VerificationStatus.Verified, null, Now);

        Assert.That(result.Error?.Kind, Is.EqualTo(ErrorKind.Conflict));
        Assert.That(result.Error?.Code, Is.EqualTo("invalid_verification_transition"));
    }

    [Test]
    public void DecideVerification_WhenValid_ShouldRecordStatusReasonAndBumpVersion()
    {
        var account = Account.Create(Guid.NewGuid(), "1234567", Now);

        var result = account.DecideVerification(VerificationStatus.ActionRequired, " Upload a registration document ", Now.AddHours(1));

        Assert.That(result.IsSuccess, Is.True);
        Assert.That(account.VerificationStatus, Is.EqualTo(VerificationStatus.ActionRequired));
        Assert.That(account.VerificationReason, Is.EqualTo("Upload a registration document"));
        Assert.That(account.VerificationUpdatedAt, Is.EqualTo(Now.AddHours(1)));
        Assert.That(account.Version, Is.EqualTo(2));
    }

    [Test]
    public void RestartVerification_WhenVerified_ShouldGoBackToPending()
    {
        var account = Account.Create(Guid.NewGuid(), "1234567", Now);
        account.DecideVerification(VerificationStatus.Verified, null, Now);

        account.RestartVerification(Now.AddDays(1));

        Assert.That(account.VerificationStatus, Is.EqualTo(VerificationStatus.Pending));
        Assert.That(account.VerificationReason, Is.Null);
    }

    [Test]
    public void LegalReplace_WhenNameOrAddressChanges_ShouldReportAnIdentityChange()
    {
        var profile = LegalBusinessProfile.Create(Guid.NewGuid(), "Contoso", Home, Pat, Pat, Now);

        Assert.That(profile.Replace("Contoso", Home, Pat with { FirstName = "Sam" }, Pat, Now), Is.False, "a contact change is not an identity change");
        Assert.That(profile.Replace("Contoso Ltd", Home, Pat, Pat, Now), Is.True);
        Assert.That(profile.Replace("Contoso Ltd", Home with { City = "Redmond" }, Pat, Pat, Now), Is.True);
        Assert.That(profile.Version, Is.EqualTo(4));
    }

    [Test]
    public void SupportReplace_WhenNoChannelIsGiven_ShouldFail()
    {
        var profile = SupportProfile.Create(Guid.NewGuid(), null, Now);

        Assert.That(profile.Replace(null, " ", null, Now).Error?.Code, Is.EqualTo("support_channel_required"));
        Assert.That(profile.Replace(null, null, "https://support.example.com", Now).IsSuccess, Is.True);
    }

    [TestCase(1, false)]
    [TestCase(2, true)]
    public void LocationCanDelete_ShouldRefuseTheLastOne(int locations, bool allowed)
    {
        var result = Location.CanDelete(locations);
        Assert.That(result.IsSuccess, Is.EqualTo(allowed));
        if (!allowed)
        {
            Assert.That(result.Error!.Code, Is.EqualTo("last_location"));
        }
    }
}
