using PartnerAccounts.Domain.Accounts;
using PartnerAccounts.Domain.Common;

namespace PartnerAccounts.Tests.Domain;

/// <summary>The account lifecycle: operators move an account between active, suspended and closed; a Global admin may only close it.</summary>
public sealed class AccountStatusRulesTests
{
    private static readonly DateTime Now = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private static Account AccountIn(AccountStatus status)
    {
        var account = Account.Create(Guid.NewGuid(), "1234567", Now);
        if (status != AccountStatus.Active)
        {
            Assert.That(account.ChangeStatus(status, "setup", Now).IsSuccess, Is.True);
        }

        return account;
    }

    [Test]
    public void Create_WhenNew_ShouldBeActiveWithoutReason()
    {
        var account = Account.Create(Guid.NewGuid(), "1234567", Now);

        Assert.Multiple(() =>
        {
            Assert.That(account.Status, Is.EqualTo(AccountStatus.Active));
            Assert.That(account.StatusReason, Is.Null);
            Assert.That(account.StatusChangedAt, Is.EqualTo(Now));
            Assert.That(Account.AcceptsChanges(account.Status), Is.True);
        });
    }

    [TestCase(AccountStatus.Active, AccountStatus.Suspended)]
    [TestCase(AccountStatus.Active, AccountStatus.Closed)]
    [TestCase(AccountStatus.Suspended, AccountStatus.Active)]
    [TestCase(AccountStatus.Suspended, AccountStatus.Closed)]
    [TestCase(AccountStatus.Closed, AccountStatus.Active)]
    [TestCase(AccountStatus.Closed, AccountStatus.Suspended)]
    public void ChangeStatus_WhenOperatorMovesToAnotherStatus_ShouldRecordStatusReasonAndTime(AccountStatus from, AccountStatus to)
    {
        var account = AccountIn(from);

        var result = account.ChangeStatus(to, "  Compliance review  ", Now.AddDays(1));

        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.True, result.Error?.Message);
            Assert.That(account.Status, Is.EqualTo(to));
            Assert.That(account.StatusReason, Is.EqualTo("Compliance review"));
            Assert.That(account.StatusChangedAt, Is.EqualTo(Now.AddDays(1)));
            Assert.That(Account.AcceptsChanges(account.Status), Is.EqualTo(to == AccountStatus.Active));
        });
    }

    [TestCase(AccountStatus.Active)]
    [TestCase(AccountStatus.Suspended)]
    [TestCase(AccountStatus.Closed)]
    public void ChangeStatus_WhenStatusIsAlreadyCurrent_ShouldBeAConflictAndChangeNothing(AccountStatus status)
    {
        var account = AccountIn(status);
        var changedAt = account.StatusChangedAt;

        var result = account.ChangeStatus(status, "again", Now.AddDays(1));

        Assert.That(result.Error?.Kind, Is.EqualTo(ErrorKind.Conflict));
        Assert.That(result.Error?.Code, Is.EqualTo("account_status_unchanged"));
        Assert.That(account.StatusChangedAt, Is.EqualTo(changedAt));
    }

    [TestCase(AccountStatus.Suspended, null)]
    [TestCase(AccountStatus.Closed, "   ")]
    public void ChangeStatus_WhenSuspendingOrClosingWithoutReason_ShouldBeRefusedAndChangeNothing(AccountStatus to, string? reason)
    {
        var account = AccountIn(AccountStatus.Active);

        var result = account.ChangeStatus(to, reason, Now.AddDays(1));

        Assert.That(result.Error?.Kind, Is.EqualTo(ErrorKind.BusinessRule));
        Assert.That(result.Error?.Code, Is.EqualTo("status_reason_required"));
        Assert.That(result.Error?.FieldErrors?.Keys, Is.EquivalentTo(new[] { "reason" }));
        Assert.That(account.Status, Is.EqualTo(AccountStatus.Active));
    }

    [Test]
    public void ChangeStatus_WhenReactivatingWithoutReason_ShouldSucceedAndClearTheReason()
    {
        var account = AccountIn(AccountStatus.Suspended);

        var result = account.ChangeStatus(AccountStatus.Active, null, Now.AddDays(1));

        Assert.That(result.IsSuccess, Is.True);
        Assert.That(account.Status, Is.EqualTo(AccountStatus.Active));
        Assert.That(account.StatusReason, Is.Null);
    }

    [TestCase(AccountStatus.Active)]
    [TestCase(AccountStatus.Suspended)]
    public void CloseByOwner_WhenLegalNameIsConfirmed_ShouldClose(AccountStatus from)
    {
        var account = AccountIn(from);

        var result = account.CloseByOwner(AccountStatus.Closed, " Fabrikam Ltd ", "Fabrikam Ltd", Now.AddDays(1));

        Assert.That(result.IsSuccess, Is.True, result.Error?.Message);
        Assert.That(account.Status, Is.EqualTo(AccountStatus.Closed));
        Assert.That(account.StatusReason, Is.Not.Null.And.Not.Empty);
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("fabrikam ltd")]
    [TestCase("Fabrikam")]
    public void CloseByOwner_WhenConfirmationIsMissingOrWrong_ShouldBeRefusedAndChangeNothing(string? confirmation)
    {
        var account = AccountIn(AccountStatus.Active);

        var result = account.CloseByOwner(AccountStatus.Closed, confirmation, "Fabrikam Ltd", Now.AddDays(1));

        Assert.That(result.Error?.Kind, Is.EqualTo(ErrorKind.BusinessRule));
        Assert.That(result.Error?.Code, Is.EqualTo("legal_name_confirmation_mismatch"));
        Assert.That(result.Error?.FieldErrors?.Keys, Is.EquivalentTo(new[] { "confirmLegalName" }));
        Assert.That(account.Status, Is.EqualTo(AccountStatus.Active));
    }

    [TestCase(AccountStatus.Active)]
    [TestCase(AccountStatus.Suspended)]
    public void CloseByOwner_WhenAskingForAnythingButClosed_ShouldBeForbidden(AccountStatus requested)
    {
        var account = AccountIn(AccountStatus.Suspended == requested ? AccountStatus.Active : AccountStatus.Suspended);
        var before = account.Status;

        var result = account.CloseByOwner(requested, "Fabrikam Ltd", "Fabrikam Ltd", Now.AddDays(1));

        Assert.That(result.Error?.Kind, Is.EqualTo(ErrorKind.Forbidden));
        Assert.That(result.Error?.Code, Is.EqualTo("operator_required"));
        Assert.That(account.Status, Is.EqualTo(before));
    }

    [Test]
    public void CloseByOwner_WhenAlreadyClosed_ShouldBeAConflict()
    {
        var account = AccountIn(AccountStatus.Closed);

        var result = account.CloseByOwner(AccountStatus.Closed, "Fabrikam Ltd", "Fabrikam Ltd", Now.AddDays(1));

        Assert.That(result.Error?.Code, Is.EqualTo("account_status_unchanged"));
    }
}
