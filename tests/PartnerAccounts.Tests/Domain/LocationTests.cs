using PartnerAccounts.Domain.Accounts;

namespace PartnerAccounts.Tests.Domain;

public sealed class LocationTests
{
    private static readonly Address Somewhere = new("1 Main St", null, "Seattle", "WA", "98101", "US");

    [TestCase(2)]
    [TestCase(10)]
    public void CanDelete_WhenOtherLocationsRemain_ShouldSucceed(int locations) =>
        Assert.That(Location.CanDelete(locations).IsSuccess, Is.True);

    [TestCase(1)]
    [TestCase(0)]
    public void CanDelete_WhenItIsTheLastLocation_ShouldBeLastLocationConflict(int locations)
    {
        var result = Location.CanDelete(locations);
        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(result.Error!.Kind, Is.EqualTo(PartnerAccounts.Domain.Common.ErrorKind.Conflict));
            Assert.That(result.Error!.Code, Is.EqualTo("last_location"));
        });
    }

    [Test]
    public void Replace_ShouldChangeNameAndAddressButKeepTheMpnIdAndMoveTheVersion()
    {
        var location = Location.Create(Guid.NewGuid(), Guid.NewGuid(), "Headquarters", Somewhere, "1234567", DateTime.UtcNow);
        var moved = Somewhere with { City = "Redmond", PostalCode = "98052" };

        location.Replace("Campus", moved);

        Assert.Multiple(() =>
        {
            Assert.That(location.Name, Is.EqualTo("Campus"));
            Assert.That(location.Address, Is.EqualTo(moved));
            Assert.That(location.MpnId, Is.EqualTo("1234567"));
            Assert.That(location.Version, Is.EqualTo(2));
        });
    }

    [Test]
    public void RemoveLocation_WhenOthersRemain_ShouldMoveTheAccountGuardVersion()
    {
        var account = Account.Create(Guid.NewGuid(), "7654321", DateTime.UtcNow);

        var result = account.RemoveLocation(2);

        Assert.That(result.IsSuccess, Is.True);
        Assert.That(account.GuardVersion, Is.EqualTo(1), "the guard version is what makes two racing removals conflict");
    }

    [Test]
    public void RemoveLocation_WhenItIsTheLast_ShouldRefuseAndLeaveTheAccountAlone()
    {
        var account = Account.Create(Guid.NewGuid(), "7654321", DateTime.UtcNow);

        var result = account.RemoveLocation(1);

        Assert.That(result.Error?.Code, Is.EqualTo("last_location"));
        Assert.That(account.GuardVersion, Is.Zero);
    }
}
